@issuer @vcapi @ob30
Feature: Issuing Open Badges 3.0 through the VC API
  An issuer answers a VC API issue request with a secured Open Badge that keeps what was
  submitted, names the issuer, and verifies with an independent verifier (lerconf's engine).

  Background:
    Given the issuer under test

  @API-01 @MUST
  Scenario Outline: Issuer service issues a badge and returns 201 (<securing>, VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issuer answers with a secured credential

    Examples:
      | securing             | vc_version |
      | eddsa-rdfc-2022      | 2.0        |
      | eddsa-rdfc-2022      | 1.1        |
      | eddsa-jcs-2022       | 2.0        |
      | ecdsa-rdfc-2019      | 2.0        |
      | ecdsa-jcs-2019       | 2.0        |
      | Ed25519Signature2020 | 2.0        |

  @VCDM-15 @MUST
  Scenario Outline: Issuer never returns an unsecured credential (<securing>, VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "VCDM-15"

    Examples:
      | securing             | vc_version |
      | eddsa-rdfc-2022      | 2.0        |
      | eddsa-rdfc-2022      | 1.1        |
      | eddsa-jcs-2022       | 2.0        |
      | ecdsa-rdfc-2019      | 2.0        |
      | ecdsa-jcs-2019       | 2.0        |
      | Ed25519Signature2020 | 2.0        |

  @OB-12 @MUST
  Scenario Outline: Issued badge carries a supported proof that verifies (<securing>, VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential's proof verifies with lerconf's engine

    Examples:
      | securing             | vc_version |
      | eddsa-rdfc-2022      | 2.0        |
      | eddsa-rdfc-2022      | 1.1        |
      | eddsa-jcs-2022       | 2.0        |
      | ecdsa-rdfc-2019      | 2.0        |
      | ecdsa-jcs-2019       | 2.0        |
      | Ed25519Signature2020 | 2.0        |

  @DI-07 @MUST
  Scenario Outline: Issuer signing key is an assertionMethod of the issuer identifier (<securing>, VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "DI-07"

    Examples:
      | securing             | vc_version |
      | eddsa-rdfc-2022      | 2.0        |
      | eddsa-rdfc-2022      | 1.1        |
      | eddsa-jcs-2022       | 2.0        |
      | ecdsa-rdfc-2019      | 2.0        |
      | ecdsa-jcs-2019       | 2.0        |
      | Ed25519Signature2020 | 2.0        |

  @API-02 @MUST
  Scenario Outline: Issued credential preserves submitted claims (<securing>, VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential keeps every submitted property
    And the issued credential names the issuer the vendor profile names

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
      | eddsa-rdfc-2022 | 1.1        |

  @VCDM-01 @MUST
  Scenario Outline: Issued credential starts its @context with the VC v2 base context
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "VCDM-01"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @OB-01 @MUST
  Scenario Outline: Open Badge lists the VC v2 and OB 3.0 contexts in order
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-01"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @OB-02 @MUST
  Scenario Outline: Open Badge is typed OpenBadgeCredential (VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-02"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
      | eddsa-rdfc-2022 | 1.1        |

  @VCDM-08 @MUST
  Scenario Outline: Validity dates are dateTimeStamp values with time zone (VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "VCDM-08"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
      | eddsa-rdfc-2022 | 1.1        |

  @OB-04 @MUST
  Scenario Outline: Open Badge always states validFrom
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-04"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @VCDM-16 @MUST
  Scenario Outline: Issued credential defines every term it uses (VC <vc_version>)
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "VCDM-16"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
      | eddsa-rdfc-2022 | 1.1        |

  @OB-05 @MUST
  Scenario Outline: Badge recipient is identified by id or identifier
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-05"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @OB-07 @MUST
  Scenario Outline: Achievement carries name, description and criteria
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-07"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @OB-11 @MUST
  Scenario Outline: Issued badge passes the 1EdTech canonical schema
    When the issuer under test issues an Open Badge for VC "<vc_version>" secured with "<securing>"
    Then the issued credential satisfies "OB-11"

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
