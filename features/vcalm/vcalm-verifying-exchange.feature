@vcalm_verifier @vcapi @obv3 @ob30
Feature: VCALM verifying exchange: a wallet shows a badge through the verifier's workflow
  lerconf plays a learner's digital wallet holding an Open Badge issued to its DID. It asks the
  verifier's workflow for a new exchange, reads what the verifier wants, and presents the badge in
  a presentation that proves its DID. The verifier must accept a valid badge and refuse a revoked
  or altered one. A verifier is only tested on what its profile claims.

  @API-19 @MUST
  Scenario: The verifier creates an exchange and asks the wallet for a presentation when it starts
    Given the vendor's verifying exchange
    When lerconf creates an exchange and starts it
    Then the exchange's answer satisfies "API-19"

  @API-10 @MUST
  Scenario: The verifier asks for a badge by example and for proof of the wallet's DID
    Given the vendor's verifying exchange
    When lerconf reads what the exchange asks the wallet for
    Then the exchange's answer satisfies "API-10"

  @API-19 @MUST
  Scenario: The verifier completes the exchange when the wallet presents what it asked for
    Given the vendor's verifying exchange
    When lerconf answers with a presentation made for the request
    Then the exchange's answer satisfies "API-19"

  @LCX-04 @MUST
  Scenario: The verifier accepts a valid badge presented in the exchange
    Given the vendor's verifying exchange
    When lerconf presents a valid badge to the exchange
    Then the exchange's answer satisfies "LCX-04"

  @API-20 @MUST
  Scenario Outline: The verifier's exchange says which protocols it speaks
    Given the vendor's verifying exchange
    When lerconf asks which protocols the exchange speaks
    Then the exchange's answer satisfies "API-20"

    Examples:
      | feature   |
      | protocols |

  @API-21 @MUST
  Scenario Outline: Reading the verifier's current request does not move the exchange on
    Given the vendor's verifying exchange
    When lerconf reads the current request twice and then answers it
    Then the exchange's answer satisfies "API-21"

    Examples:
      | feature |
      | request |

  @API-22 @MUST
  Scenario Outline: The verifier's interaction URL answers apps with its protocols and browsers with a page
    Given the vendor's verifying exchange
    When lerconf opens the interaction URL as an app and as a browser
    Then the exchange's answer satisfies "API-22"

    Examples:
      | feature         |
      | interaction_url |

  @API-17 @MUST
  Scenario: The verifier's exchange explains an error as a problem detail
    Given the vendor's verifying exchange
    When lerconf sends the exchange a step it must refuse
    Then the exchange's answer satisfies "API-17"
