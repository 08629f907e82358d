@vcalm_issuer @vcapi @obv3 @ob30
Feature: VCALM issuing exchange: a wallet receives a badge through the issuer's workflow
  lerconf plays a learner's digital wallet. It asks the issuer's workflow for a new exchange, opens
  it, proves which DID it controls (DID authentication) and receives the badge. The badge must pass
  lerconf's own verification and be issued to the DID lerconf proved, never to anyone else. An
  issuer is only tested on what its profile claims.

  @API-19 @MUST
  Scenario: The issuer creates an exchange and asks the wallet for a presentation when it starts
    Given the vendor's issuing exchange
    When lerconf creates an exchange and starts it
    Then the exchange's answer satisfies "API-19"

  @API-10 @MUST
  Scenario: The issuer asks the wallet to prove its DID, with a challenge and a domain
    Given the vendor's issuing exchange
    When lerconf reads what the exchange asks the wallet for
    Then the exchange's answer satisfies "API-10"

  @API-19 @MUST
  Scenario: The issuer answers the wallet's DID authentication with the badge
    Given the vendor's issuing exchange
    When lerconf answers with a presentation made for the request
    Then the exchange's answer satisfies "API-19"

  @LCX-03 @MUST
  Scenario: The badge the issuer hands out verifies and belongs to the DID the wallet proved
    Given the vendor's issuing exchange
    When lerconf answers with a presentation made for the request
    Then the exchange's answer satisfies "LCX-03"

  @API-20 @MUST
  Scenario Outline: The issuer's exchange says which protocols it speaks
    Given the vendor's issuing exchange
    When lerconf asks which protocols the exchange speaks
    Then the exchange's answer satisfies "API-20"

    Examples:
      | feature   |
      | protocols |

  @API-21 @MUST
  Scenario Outline: Reading the issuer's current request does not move the exchange on
    Given the vendor's issuing exchange
    When lerconf reads the current request twice and then answers it
    Then the exchange's answer satisfies "API-21"

    Examples:
      | feature |
      | request |

  @API-22 @MUST
  Scenario Outline: The issuer's interaction URL answers apps with its protocols and browsers with a page
    Given the vendor's issuing exchange
    When lerconf opens the interaction URL as an app and as a browser
    Then the exchange's answer satisfies "API-22"

    Examples:
      | feature         |
      | interaction_url |

  @API-17 @MUST
  Scenario: The issuer's exchange explains an error as a problem detail
    Given the vendor's issuing exchange
    When lerconf sends the exchange a step it must refuse
    Then the exchange's answer satisfies "API-17"
