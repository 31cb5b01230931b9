// Setup mistakes fail at once (CONTRACT "Setup mistakes fail at once", issue 17.1, server side):
// a server option that is missing, mistyped or a placeholder throws when the handler is made,
// naming the option — never a 400 at a user's first connection, or a provider's error page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createDisconnectHandler,
  createExchangeHandler,
  createServerFlow,
  createTokenClient,
} from '../../dist/server.js';

const CB = 'https://app.example/oauth/callback';
const REDIRECT = 'https://app.example/oauth/server';
const generic = {
  tokenUrl: 'https://id.example/token',
  authorizeUrl: 'https://id.example/authorize',
  clientId: 'c',
  clientSecret: 's',
  redirectUris: [CB],
};
const hcss = { ...generic }; // HCSS knows its own authorize URL
delete hcss.authorizeUrl;
const session = () => 'alice';
const credentials = { loadCredentials: () => undefined, deleteCredentials: () => undefined };

/** Every factory, made with these providers (and what else each needs). */
const factories = {
  createExchangeHandler: (providers, extra = {}) => createExchangeHandler({ providers, ...extra }),
  createServerFlow: (providers, extra = {}) =>
    createServerFlow({ providers, redirectUri: REDIRECT, session, ...extra }),
  createTokenClient: (providers, extra = {}) => createTokenClient({ providers, ...extra }),
  createDisconnectHandler: (providers, extra = {}) =>
    createDisconnectHandler({ providers, session, ...credentials, ...extra }),
};

/** The message must name the option (escaped for a RegExp). */
const naming = (option) => new RegExp(option.replace(/[.[\]$()]/g, '\\$&'));

const PLACEHOLDERS = [
  '',
  ' ',
  'YOUR_CLIENT_ID',
  'your-client-id',
  'yourClientId',
  'changeme',
  'CHANGE_ME',
  'replace-me',
  '<client-id>',
  '[client id]',
  '{{CLIENT_ID}}',
  '${HCSS_CLIENT_ID}',
  '$HCSS_CLIENT_ID',
  '%CLIENT_ID%',
  'xxx',
  'XXXXXXXX',
  '****',
  '...',
  'TODO',
  'tbd',
  'FIXME',
  'placeholder',
  'undefined',
  'null',
  'client_id',
  'client-secret',
  'APP_ID',
  'insert your client id',
  'c\n',
  ' c',
];
const REAL = [
  'c',
  'my-client',
  'hcss-client',
  'kestrel-demo-app-id',
  'xylophone',
  'todo-app',
  'x1',
];

describe('setup mistakes: placeholders', () => {
  for (const [factory, make] of Object.entries(factories)) {
    it(`${factory}: a placeholder clientId throws, naming the option and showing the value`, () => {
      for (const clientId of PLACEHOLDERS) {
        assert.throws(
          () => make({ hcss: { ...hcss, clientId } }),
          (error) =>
            error instanceof TypeError &&
            /hcss\.clientId (is required|looks like a placeholder)/.test(error.message),
          JSON.stringify(clientId),
        );
      }
      for (const clientId of REAL) {
        assert.doesNotThrow(() => make({ hcss: { ...hcss, clientId } }), clientId);
      }
    });
  }

  it('a placeholder clientSecret or apiKey throws, naming the option and never echoing it', () => {
    for (const value of PLACEHOLDERS.filter(Boolean)) {
      for (const [providers, option] of [
        [{ generic: { ...generic, clientSecret: value } }, 'generic.clientSecret'],
        [{ healthtap: { ...generic, clientSecret: value } }, 'healthtap.clientSecret'],
        [{ hint: { apiKey: value } }, 'hint.apiKey'],
      ]) {
        assert.throws(
          () => createExchangeHandler({ providers }),
          (error) =>
            naming(option).test(error.message) && !error.message.includes(JSON.stringify(value)),
          `${option} ${JSON.stringify(value)}`,
        );
      }
    }
    assert.doesNotThrow(() =>
      createExchangeHandler({ providers: { hint: { apiKey: 'hint-partner-7f3a9c' } } }),
    );
  });

  it('a clientId that is no string throws', () => {
    assert.throws(
      () => createExchangeHandler({ providers: { generic: { ...generic, clientId: 42 } } }),
      /generic\.clientId must be a string/,
    );
  });

  it('an endpoint URL with a placeholder in it throws', () => {
    for (const tokenUrl of [
      'https://YOUR_DOMAIN/oauth/token',
      'https://your-tenant.auth0.com/oauth/token',
      'https://<tenant>.auth0.com/oauth/token',
      'https://id.example/${TENANT}/token',
      'https://id.example/xxx/token',
      'https://id.example/token ',
    ]) {
      assert.throws(
        () => createExchangeHandler({ providers: { generic: { ...generic, tokenUrl } } }),
        /generic\.tokenUrl (looks like a placeholder|must be)/,
        tokenUrl,
      );
    }
  });
});

describe('setup mistakes: endpoints are https off loopback', () => {
  const cases = [
    ['generic.tokenUrl', (url) => ({ generic: { ...generic, tokenUrl: url } })],
    ['generic.authorizeUrl', (url) => ({ generic: { ...generic, authorizeUrl: url } })],
    ['generic.revocationUrl', (url) => ({ generic: { ...generic, revocationUrl: url } })],
    ['hcss.tokenUrl', (url) => ({ hcss: { ...generic, tokenUrl: url } })],
    ['healthtap.tokenUrl', (url) => ({ healthtap: { ...generic, tokenUrl: url } })],
    ['hint.baseUrl', (url) => ({ hint: { apiKey: 'k', baseUrl: url } })],
    ['bwell.graphqlUrl', (url) => ({ bwell: { graphqlUrl: url, userToken: () => 't' } })],
    ['generic.redirectUris[0]', (url) => ({ generic: { ...generic, redirectUris: [url] } })],
  ];
  for (const [option, providers] of cases) {
    it(`${option}: http on another host throws; http on loopback and https are fine`, () => {
      assert.throws(
        () => createExchangeHandler({ providers: providers('http://id.example/x') }),
        new RegExp(`${naming(option).source} must be https`),
      );
      for (const ok of ['https://id.example/x', 'http://localhost:9/x', 'http://127.0.0.1:9/x']) {
        assert.doesNotThrow(() => createExchangeHandler({ providers: providers(ok) }), ok);
      }
      assert.doesNotThrow(() =>
        createExchangeHandler({ providers: providers('http://[::1]:9/x') }),
      );
    });
  }

  it('createServerFlow: redirectUri must be https off loopback, no placeholder, no fragment', () => {
    const make = (redirectUri) =>
      createServerFlow({ providers: { generic }, redirectUri, session });
    assert.throws(() => make('http://app.example/oauth/server'), /redirectUri must be https/);
    assert.throws(
      () => make('https://YOUR_APP/oauth/server'),
      /redirectUri looks like a placeholder/,
    );
    assert.throws(
      () => make('https://app.example/oauth/server#x'),
      /redirectUri must not have a fragment/,
    );
    assert.doesNotThrow(() => make('http://localhost:5173/oauth/server'));
  });
});

describe('setup mistakes: providers', () => {
  it('an unknown provider name throws, listing the known ones', () => {
    for (const name of ['hcsss', 'Generic', 'generic:', 'generic:Acme', 'generic:a b', 'google']) {
      for (const [factory, make] of Object.entries(factories)) {
        assert.throws(
          () => make({ generic, [name]: generic }),
          new RegExp(
            `providers\\.${name.replace(/[.$]/g, '\\$&')} is not a provider: use generic, generic:<name>`,
          ),
          `${factory} ${name}`,
        );
      }
    }
  });

  it('no provider at all throws (every request would be refused)', () => {
    assert.throws(() => createExchangeHandler({ providers: {} }), /at least one provider/);
    assert.throws(() => createTokenClient({ providers: {} }), /at least one provider/);
    assert.throws(
      () => createDisconnectHandler({ providers: {}, session, ...credentials }),
      /at least one provider/,
    );
    assert.throws(
      () =>
        createServerFlow({ providers: { hint: { apiKey: 'k' } }, redirectUri: REDIRECT, session }),
      /createServerFlow needs a provider with a code/,
    );
    assert.throws(() => createExchangeHandler(), /createExchangeHandler needs \{ providers/);
    assert.throws(() => createExchangeHandler({}), /createExchangeHandler needs providers/);
    assert.throws(
      () => createTokenClient({ providers: 'hcss' }),
      /createTokenClient needs providers/,
    );
  });

  it('createExchangeHandler: an empty or wrong redirectUris throws; the others do not read it', () => {
    const none = { ...generic, redirectUris: [] };
    assert.throws(
      () => createExchangeHandler({ providers: { hcss: none } }),
      /hcss\.redirectUris is empty/,
    );
    assert.throws(
      () => createExchangeHandler({ providers: { generic: { ...generic, redirectUris: CB } } }),
      /generic\.redirectUris must be a list/,
    );
    assert.throws(
      () =>
        createExchangeHandler({ providers: { generic: { ...generic, redirectUris: ['/cb'] } } }),
      /generic\.redirectUris\[0\] must be an absolute https URL/,
    );
    assert.throws(
      () =>
        createExchangeHandler({
          providers: { generic: { ...generic, redirectUris: [`${CB}#x`] } },
        }),
      /generic\.redirectUris\[0\] must not have a fragment/,
    );
    const { redirectUris, ...without } = generic;
    assert.ok(redirectUris);
    assert.doesNotThrow(() => createTokenClient({ providers: { generic: without } }));
    assert.doesNotThrow(() =>
      createDisconnectHandler({ providers: { generic: without }, session, ...credentials }),
    );
    assert.doesNotThrow(() =>
      createServerFlow({ providers: { generic: without }, redirectUri: REDIRECT, session }),
    );
  });

  it('scope that is not a string throws', () => {
    assert.throws(
      () =>
        createServerFlow({
          providers: { generic: { ...generic, scope: ['openid'] } },
          redirectUri: REDIRECT,
          session,
        }),
      /generic\.scope must be a space-separated string/,
    );
  });
});

describe('setup mistakes: functions and store', () => {
  it('storeCredentials, onError, fetch that are not functions throw, naming the option', () => {
    for (const option of ['storeCredentials', 'onError', 'fetch']) {
      assert.throws(
        () => createExchangeHandler({ providers: { generic }, [option]: {} }),
        new RegExp(`${option} must be a function`),
        option,
      );
      assert.throws(
        () =>
          createServerFlow({
            providers: { generic },
            redirectUri: REDIRECT,
            session,
            [option]: 'x',
          }),
        new RegExp(`${option} must be a function`),
        option,
      );
    }
    assert.throws(
      () => createTokenClient({ providers: { generic }, fetch: 'fetch' }),
      /fetch must be a function/,
    );
    assert.throws(
      () =>
        createDisconnectHandler({ providers: { generic }, session, ...credentials, onError: true }),
      /onError must be a function/,
    );
  });

  it('createServerFlow: a store that is no FlowStore throws', () => {
    for (const store of [{}, 'redis://localhost', { get() {}, put() {} }]) {
      assert.throws(
        () => createServerFlow({ providers: { generic }, redirectUri: REDIRECT, session, store }),
        /store must be a FlowStore/,
      );
    }
  });
});
