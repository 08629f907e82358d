@holder @vcapi @ob30
Feature: Showing part of a badge through the VC API holder service (ecdsa-sd-2023, bbs-2023)
  A learner's holder service takes a badge the issuer signed for selective disclosure and shows only
  what it is asked to show, besides what the issuer made mandatory; what it shows still verifies.

  Background:
    Given the holder under test

  @EC-04 @MUST
  Scenario Outline: Holder service derives a badge disclosed in part with only the asked and mandatory statements (<securing>)
    When the holder under test is asked to disclose part of a badge secured with "<securing>"
    Then the holder's badge shows the mandatory statements and the asked one only, and verifies

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LBB-02 @MUST
  Scenario Outline: Holder service derives a BBS badge disclosed in part with only the asked and mandatory statements (<securing>)
    When the holder under test is asked to disclose part of a badge secured with "<securing>"
    Then the holder's badge shows the mandatory statements and the asked one only, and verifies

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |
