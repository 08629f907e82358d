@wallet @isolation @oid4vci @ob30
Feature: Wallet adapter that keeps each scenario's wallet apart
  A wallet whose profile says "isolation: scenario" promises that every scenario lerconf runs gets a
  wallet of its own (each call to its adapter names its scenario). lerconf then runs several of that
  wallet's scenarios at once, and checks the promise alongside them: one scenario's wallet receives a
  badge from lerconf's issuer and lists it, another scenario's wallet is emptied, and each lists what it
  holds.

  @LCW-05 @MUST
  Scenario: The wallet adapter keeps each scenario's wallet apart
    Given one scenario's wallet holds an Open Badge issued by lerconf and another scenario's wallet was emptied
    Then the wallet satisfies "LCW-05"
