@issuer @vcapi @ob30 @NEG
Feature: Issuers refuse malformed issue requests
  An issue request that would produce a non-conforming credential is refused with 400 or 422:
  not signed anyway, and not answered with a server error.

  Background:
    Given the issuer under test

  @VCDM-01 @MUST
  Scenario Outline: Issuer refuses a credential without the VC base context first (<defect>)
    When the issuer under test is asked to issue a badge with "<defect>"
    Then the issuer rejects the request

    Examples:
      | defect                                   |
      | no @context                              |
      | a @context that is a number              |
      | the OB context before the VC base context |

  @VCDM-D1 @MUST
  Scenario: Issuer refuses a credential that mixes v1 and v2 base contexts
    When the issuer under test is asked to issue a badge with "both VC 1.1 and 2.0 base contexts"
    Then the issuer rejects the request

  @VCDM-03 @MUST
  Scenario Outline: Issuer refuses a credential that is not typed VerifiableCredential (<defect>)
    When the issuer under test is asked to issue a badge with "<defect>"
    Then the issuer rejects the request

    Examples:
      | defect                               |
      | no type                              |
      | a type without VerifiableCredential  |
      | a type that is a number              |

  @VCDM-06 @MUST
  Scenario Outline: Issuer refuses a malformed issuer (<defect>)
    When the issuer under test is asked to issue a badge with "<defect>"
    Then the issuer rejects the request

    Examples:
      | defect                         |
      | no issuer                      |
      | an issuer that is not a URL    |
      | an issuer object without id    |

  @VCDM-07 @MUST
  Scenario Outline: Issuer refuses a credential subject that is not an object (<defect>)
    When the issuer under test is asked to issue a badge with "<defect>"
    Then the issuer rejects the request

    Examples:
      | defect                               |
      | no credentialSubject                 |
      | a credentialSubject that is a string |

  @VCDM-09 @MUST
  Scenario: Issuer refuses to issue a credential that expires before it becomes valid
    When the issuer under test is asked to issue a badge with "validUntil before validFrom"
    Then the issuer rejects the request

  @VCDM-08 @MUST
  Scenario: Issuer refuses validity dates without a time zone
    When the issuer under test is asked to issue a badge with "a validFrom without time zone"
    Then the issuer rejects the request

  @DI-06 @MUST
  Scenario: Issuer refuses to sign a credential containing undefined terms
    When the issuer under test is asked to issue a badge with "a claim no context defines"
    Then the issuer rejects the request
