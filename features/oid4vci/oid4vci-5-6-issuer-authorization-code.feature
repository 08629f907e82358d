@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §5-§6, RFC 6749 §4.1, RFC 7636 The authorization code grant with PKCE
  lerconf plays a public-client wallet: it asks the offer hook for an offer with the
  authorization_code grant, sends the authorization request with PKCE S256, state and the
  offer's issuer_state, gets past the user's login as the profile's options.authorization says
  (following the redirect chain of an AS that approves a test user, or a login hook), reads the
  code off the redirect to its redirect_uri and redeems it. The code, the code_verifier and the
  access token appear redacted in the evidence. Each misuse below is a fresh code redeemed with
  exactly one fault; RFC 7636 §4.6 names invalid_grant for a wrong code_verifier, and a missing
  one may also be answered invalid_request (RFC 6749 §5.2, a missing required parameter).

  Background:
    Given the OID4VCI issuer under test

  @VCI-08 @MUST
  Scenario Outline: A wallet obtains an access token over the authorization code flow with PKCE and redeems it for a badge (<format>)
    When lerconf obtains a "<format>" credential over the authorization code flow
    Then the token response of the issuance satisfies "VCI-08"
    And the received credential passes lerconf's engine

    Examples:
      | format      | grant              |
      | ldp_vc      | authorization_code |
      | jwt_vc_json | authorization_code |

  @VCI-09 @MUST @NEG
  Scenario Outline: The token endpoint refuses a misused authorization code with the defined error (<sent>)
    When lerconf redeems an authorization code sending <sent>
    Then the token endpoint refuses it with "<error>", satisfying "VCI-09"

    Examples:
      | sent                                | error                            | grant              |
      | a wrong code_verifier               | invalid_grant                    | authorization_code |
      | no code_verifier                    | invalid_grant or invalid_request | authorization_code |
      | the authorization code a second time | invalid_grant                   | authorization_code |
      | a different redirect_uri            | invalid_grant                    | authorization_code |
