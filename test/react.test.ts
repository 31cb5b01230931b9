// oauth-connect/react (the @lit/react wrapper) and React 19's own custom-element support, rendered
// with react-dom/client (react and react-dom are served pre-bundled: test/support/wtr-react-plugin.mjs).
import { expect } from '@open-wc/testing';
import { createElement, createRef, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { ConnectedEvent, FailedEvent, OAuthConnect as OAuthConnectElement } from '../src/index.js';
import { OAuthConnect } from '../src/react.js';
import {
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  uid,
  until,
  useOpenSpy,
} from './support/helpers.js';

const spy = useOpenSpy();
const button = (el: OAuthConnectElement) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;

describe('oauth-connect/react', () => {
  let host: HTMLElement;
  let root: Root;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });
  afterEach(() => {
    root.unmount();
    host.remove();
  });

  it('renders <oauth-connect> with its props set as properties; failed reaches onFailed', async () => {
    const ref = createRef<OAuthConnectElement>();
    const failed: FailedEvent[] = [];
    root.render(
      createElement(OAuthConnect, {
        ref,
        provider: 'hcss',
        clientId: 'c',
        redirectUri: 'http://evil.example/cb', // not https, not loopback: invalid_config
        onFailed: (e) => failed.push(e),
      }),
    );
    await until(() => ref.current !== null, 5000, 'the element');
    const el = ref.current!;
    expect(el).to.be.instanceOf(OAuthConnectElement);
    expect(el.localName).to.equal('oauth-connect');
    expect(el.clientId).to.equal('c');
    expect(el.redirectUri).to.equal('http://evil.example/cb');
    await el.updateComplete;
    button(el).click();
    await until(() => failed.length > 0, 5000, 'onFailed');
    expect(failed).to.have.length(1);
    expect(failed[0]).to.be.instanceOf(FailedEvent);
    expect(failed[0]!.detail.status).to.equal('invalid_config');
    expect(spy.calls).to.have.length(0);
  });

  it('a flow through the wrapper: connected reaches onConnected', async () => {
    const { provider } = await origins();
    const ref = createRef<OAuthConnectElement>();
    const connected: ConnectedEvent[] = [];
    root.render(
      createElement(OAuthConnect, {
        ref,
        provider: 'hcss',
        authorizeUrl: `${provider}/authorize.html?scenario=approve`,
        clientId: 'c',
        redirectUri: callbackUrl(),
        exchangeUrl: exchangeUrl(uid()),
        onConnected: (e) => connected.push(e),
      }),
    );
    await until(() => ref.current !== null, 5000, 'the element');
    await ref.current!.updateComplete;
    button(ref.current!).click();
    await until(() => connected.length > 0, 10000, 'onConnected');
    expect(connected[0]).to.be.instanceOf(ConnectedEvent);
    expect(connected[0]!.detail.provider).to.equal('hcss');
    expect(connected[0]!.detail.result['companyId']).to.equal('company-42');
  });

  it('unmounted during the sign-in: the window closes, and no handler runs', async () => {
    const { provider } = await origins();
    const ref = createRef<OAuthConnectElement>();
    const calls: string[] = [];
    const t = uid();
    root.render(
      createElement(OAuthConnect, {
        ref,
        provider: 'hcss',
        authorizeUrl: `${provider}/authorize.html?scenario=stay`,
        clientId: 'c',
        redirectUri: callbackUrl(),
        exchangeUrl: exchangeUrl(t),
        onConnected: () => calls.push('connected'),
        onFailed: () => calls.push('failed'),
      }),
    );
    await until(() => ref.current !== null, 5000, 'the element');
    const el = ref.current!;
    await el.updateComplete;
    const result = el.connect().then(
      () => 'connected',
      (error: { status: string }) => error.status,
    );
    await until(() => spy.calls.length === 1, 5000, 'the sign-in window');
    const popup = spy.last!;
    root.unmount(); // the user navigated away in the app
    // the flow's own promise settles once the removal ended it: the point where `failed` would fire
    expect(await result).to.equal('cancelled');
    await until(() => popup.closed, 5000, 'the sign-in window closed');
    await el.updateComplete;
    expect(calls, 'no handler of the gone component').to.deep.equal([]);
    expect(await exchanges(t)).to.have.length(0);
    root = createRoot(host); // for afterEach
  });

  it('StrictMode: one popup, one exchange, one event per click', async () => {
    const { provider } = await origins();
    const ref = createRef<OAuthConnectElement>();
    const connected: ConnectedEvent[] = [];
    const failed: FailedEvent[] = [];
    const t = uid();
    root.render(
      createElement(
        StrictMode,
        null,
        createElement(OAuthConnect, {
          ref,
          provider: 'hcss',
          authorizeUrl: `${provider}/authorize.html?scenario=approve`,
          clientId: 'c',
          redirectUri: callbackUrl(),
          exchangeUrl: exchangeUrl(t),
          onConnected: (e) => connected.push(e),
          onFailed: (e) => failed.push(e),
        }),
      ),
    );
    await until(() => ref.current !== null, 5000, 'the element');
    const el = ref.current!;
    await el.updateComplete;
    button(el).click();
    button(el).click(); // a double click
    await until(() => connected.length > 0, 10000, 'onConnected');
    // the element's own promise has settled: any second event would have fired by now
    await el.updateComplete;
    expect(connected).to.have.length(1);
    expect(failed).to.have.length(0);
    expect(spy.calls).to.have.length(1);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('React 19 without the wrapper: <oauth-connect onfailed> listens to failed', async () => {
    const failed: Event[] = [];
    root.render(
      createElement('oauth-connect', {
        provider: 'hcss',
        'client-id': 'c',
        'redirect-uri': 'http://evil.example/cb',
        onfailed: (e: Event) => failed.push(e),
      }),
    );
    await until(() => host.querySelector('oauth-connect') !== null, 5000, 'the element');
    const el = host.querySelector<OAuthConnectElement>('oauth-connect')!;
    await el.updateComplete;
    button(el).click();
    await until(() => failed.length > 0, 5000, 'onfailed');
    expect(failed[0]).to.be.instanceOf(FailedEvent);
    expect((failed[0] as FailedEvent).detail.status).to.equal('invalid_config');
  });
});
