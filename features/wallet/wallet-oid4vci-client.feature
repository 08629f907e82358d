@wallet @oid4vci @ob30
Feature: Wallet as OpenID4VCI 1.0 client: lerconf plays the issuer and authorization server
  lerconf's embedded issuer makes a fresh pre-authorized offer and hands it to the wallet under
  test through its driver (the HTTP wallet adapter). The verdict comes from what lerconf's own
  metadata, token, nonce and credential endpoints received; what the adapter reports is evidence.
  "The wallet satisfies" a requirement when what those endpoints received meets it; the scenario
  title says in words what that is.

  @VCI-21 @MUST
  Scenario Outline: The wallet fetches the metadata and redeems a pre-authorized offer with its tx_code (<format>)
    When lerconf offers the wallet a "<format>" badge by reference with a tx_code
    Then the wallet satisfies "VCI-21"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @VCI-20 @MUST
  Scenario: The wallet fetches the metadata for an offer passed by value and redeems it
    When lerconf offers the wallet a "ldp_vc" badge by value with a tx_code
    Then the wallet satisfies "VCI-20"

  @VCI-21 @MUST
  Scenario: The wallet sends no tx_code when the offer asks for none
    When lerconf offers the wallet a "ldp_vc" badge by reference without a tx_code
    Then the wallet satisfies "VCI-21"

  @LCW-04 @MUST
  Scenario Outline: The wallet redeems an <grant> offer with PKCE (S256)
    When lerconf offers the wallet a "ldp_vc" badge with the "<grant>" grant
    Then the wallet satisfies "LCW-04"

    Examples:
      | grant              |
      | authorization_code |

  @VCI-22 @SHOULD
  Scenario: The wallet gets a fresh c_nonce and retries after invalid_nonce
    When lerconf offers the wallet a "ldp_vc" badge and refuses its first credential request with invalid_nonce
    Then the wallet satisfies "VCI-22"

  @VCI-22 @MUST
  Scenario Outline: The wallet's key proof is bound to the issuer and the latest c_nonce (<format>)
    When lerconf offers the wallet a "<format>" badge by reference with a tx_code
    Then the wallet satisfies "VCI-22"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @LCW-01 @MUST
  Scenario Outline: The wallet stores the issued badge unchanged (<format>)
    When lerconf offers the wallet a "<format>" badge by reference with a tx_code
    Then the wallet satisfies "LCW-01"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @VCI-20 @MUST @NEG
  Scenario: The wallet refuses an issuer whose metadata credential_issuer is not the offer's issuer
    When lerconf offers the wallet a badge from an issuer whose metadata names another credential_issuer
    Then the wallet satisfies "VCI-20"
