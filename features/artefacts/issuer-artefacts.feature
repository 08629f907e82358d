@artefact_issuer @ob30
Feature: An issuer judged by the badges it delivered
  Many issuers hand over what they issue (badge files, baked images, links, VC-JWTs, CLR
  transcripts, LER-RS résumés) instead of a live issuing endpoint. lerconf reads every artefact
  the vendor profile lists, verifies the credential inside with its own engine and judges it as
  it judges a live issuer's answer. Each row judges every delivered artefact of one form; a form
  the vendor did not deliver is not claimed.

  Background:
    Given the artefacts the issuer under test delivered

  @OB-17 @MUST
  Scenario Outline: Each delivered file holds exactly one credential (<form>)
    Then every delivered "<form>" holds exactly one credential

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |
      | CLR          |
      | LER-RS       |

  @LCA-01 @MUST
  Scenario Outline: Each delivered artefact is what the vendor says it is (<form>)
    Then every delivered "<form>" is what the vendor says it is

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |
      | CLR          |
      | LER-RS       |

  @OB-18 @SHOULD
  Scenario Outline: A credential delivered as a link is served with its media type (<form>)
    Then every "<form>" delivered by link is served with its media type

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |
      | CLR          |

  @OB-19 @MUST
  Scenario: A baked PNG holds its badge in one uncompressed openbadgecredential chunk
    Then every delivered "baked PNG" is baked the way Open Badges 3.0 says

  @OB-20 @MUST
  Scenario: A baked SVG holds its badge in one openbadges:credential element
    Then every delivered "baked SVG" is baked the way Open Badges 3.0 says

  @OB-12 @MUST
  Scenario Outline: Each delivered credential carries a proof that verifies (<form>)
    Then every delivered "<form>" carries a proof that verifies with lerconf's engine

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |
      | CLR          |

  @VCDM-15 @MUST
  Scenario Outline: No delivered credential is unsecured (<form>)
    Then every delivered "<form>" satisfies "VCDM-15"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |
      | CLR          |

  @DI-07 @MUST
  Scenario Outline: A Data Integrity proof is made with a key the issuer authorised for assertions (<form>)
    Then every delivered "<form>" satisfies "DI-07"

    Examples:
      | form       |
      | badge JSON |
      | baked PNG  |
      | baked SVG  |
      | CLR        |

  @OB-15 @MUST
  Scenario Outline: A badge secured twice carries its Data Integrity proof inside the JWT, and the proof verifies (<form>)
    Then every delivered "<form>" satisfies "OB-15"

    Examples:
      | form         |
      | badge VC-JWT |

  @OB-16 @MUST
  Scenario Outline: The key that verifies a delivered credential can be fetched from an HTTPS URL or a DID (<form>)
    Then every delivered "<form>" satisfies "OB-16"

    Examples:
      | form       |
      | badge JSON |
      | baked PNG  |
      | baked SVG  |
      | CLR        |

  @JC-04 @MUST
  Scenario Outline: A VC-JWT names a key of its issuer (<form>)
    Then every delivered "<form>" satisfies "JC-04"

    Examples:
      | form         |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-13 @MUST
  Scenario Outline: A badge VC-JWT's header names its algorithm and a resolvable key (<form>)
    Then every delivered "<form>" satisfies "OB-13"

    Examples:
      | form         |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-14 @MUST
  Scenario Outline: A badge VC-JWT's claims mirror the credential (<form>)
    Then every delivered "<form>" satisfies "OB-14"

    Examples:
      | form         |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-01 @MUST
  Scenario Outline: A delivered badge lists the VC 2.0 and Open Badges 3.0 contexts in order (<form>)
    Then every delivered "<form>" satisfies "OB-01"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-02 @MUST
  Scenario Outline: A delivered badge is typed OpenBadgeCredential (<form>)
    Then every delivered "<form>" satisfies "OB-02"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-03 @MUST
  Scenario Outline: A delivered badge names its issuer as a typed Profile (<form>)
    Then every delivered "<form>" satisfies "OB-03"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-04 @MUST
  Scenario Outline: A delivered badge states when it is valid from (<form>)
    Then every delivered "<form>" satisfies "OB-04"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-05 @MUST
  Scenario Outline: A delivered badge identifies its recipient (<form>)
    Then every delivered "<form>" satisfies "OB-05"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-07 @MUST
  Scenario Outline: A delivered badge's achievement has a name, a description and criteria (<form>)
    Then every delivered "<form>" satisfies "OB-07"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @OB-09 @MUST
  Scenario Outline: A delivered badge validates against the 1EdTech JSON Schema (<form>)
    Then every delivered "<form>" satisfies "OB-09"

    Examples:
      | form         |
      | badge JSON   |
      | badge VC-JWT |
      | baked PNG    |
      | baked SVG    |

  @CLR-01 @MUST
  Scenario: A delivered CLR lists the VC 2.0, CLR and Open Badges contexts
    Then every delivered "CLR" satisfies "CLR-01"

  @CLR-02 @MUST
  Scenario: A delivered CLR declares its type, id, name, issuer and validFrom
    Then every delivered "CLR" satisfies "CLR-02"

  @CLR-03 @MUST
  Scenario: A delivered CLR identifies its learner
    Then every delivered "CLR" satisfies "CLR-03"

  @CLR-04 @MUST
  Scenario: Every credential inside a delivered CLR is signed on its own
    Then every delivered "CLR" satisfies "CLR-04"

  @CLR-06 @MUST
  Scenario: A delivered CLR carries a proof of its own that verifies
    Then every delivered "CLR" satisfies "CLR-06"

  @LER-01 @MUST
  Scenario: A delivered LER-RS résumé validates against the LER-RS wrapper schema
    Then every delivered "LER-RS" satisfies "LER-01"

  @LER-02 @MUST
  Scenario: A delivered LER-RS résumé's subject is an LER-RS document
    Then every delivered "LER-RS" satisfies "LER-02"

  @LER-03 @MUST
  Scenario: Each verifiable section of a delivered LER-RS résumé carries a verification
    Then every delivered "LER-RS" satisfies "LER-03"

  @LER-04 @MUST
  Scenario: Every credential embedded in a delivered LER-RS résumé verifies
    Then every delivered "LER-RS" satisfies "LER-04"
