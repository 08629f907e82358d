@displayer @ob30
Feature: A badge displayer, tested by a person
  A displayer is a wallet or a web page that shows badges to a person. lerconf makes a fresh set,
  as 1EdTech's Displayer certification does: a valid, an expired and a revoked badge for VC Data
  Model 2.0 and 1.1, signed with eddsa-rdfc-2022, each as a link, a JSON file, a baked PNG and a
  baked SVG. The operator opens them one at a time on lerconf's operator page, in a shuffled
  order, and reports what the displayer showed. What only a person can see is attested evidence;
  what lerconf's own endpoints saw (the status list and the issuer's key fetched) is judged by
  lerconf itself. A displayer is never tested without a person: the embedded reference has none.

  @OB-30 @MUST @NEG @attested
  Scenario Outline: Displayer shows the <status> badge as <status> (VC <vc_version>)
    Given the <status> badge lerconf made for VC "<vc_version>" was opened in the displayer under test
    Then the operator saw it shown as <status>

    Examples:
      | status  | vc_version | securing        |
      | valid   | 2.0        | eddsa-rdfc-2022 |
      | expired | 2.0        | eddsa-rdfc-2022 |
      | revoked | 2.0        | eddsa-rdfc-2022 |
      | valid   | 1.1        | eddsa-rdfc-2022 |
      | expired | 1.1        | eddsa-rdfc-2022 |
      | revoked | 1.1        | eddsa-rdfc-2022 |

  @OB-31 @MUST @attested
  Scenario Outline: Displayer shows the badge's image, name, description, issuer and issue date (<status>, VC <vc_version>)
    Given the <status> badge lerconf made for VC "<vc_version>" was opened in the displayer under test
    Then the operator saw its details shown as lerconf issued them

    Examples:
      | status  | vc_version | securing        |
      | valid   | 2.0        | eddsa-rdfc-2022 |
      | expired | 2.0        | eddsa-rdfc-2022 |
      | revoked | 2.0        | eddsa-rdfc-2022 |
      | valid   | 1.1        | eddsa-rdfc-2022 |
      | expired | 1.1        | eddsa-rdfc-2022 |
      | revoked | 1.1        | eddsa-rdfc-2022 |

  @LCD-01 @MUST
  Scenario Outline: Displayer fetches the status list of the revoked badge it shows (VC <vc_version>)
    Given the revoked badge lerconf made for VC "<vc_version>" was opened in the displayer under test
    Then lerconf's endpoints saw the displayer fetch the badge's status list

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |

  @LCD-02 @MUST
  Scenario Outline: Displayer resolves the issuer's key to verify the badge it shows (VC <vc_version>)
    Given the valid badge lerconf made for VC "<vc_version>" was opened in the displayer under test
    Then lerconf's endpoints saw the displayer fetch the issuer's DID document

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |
