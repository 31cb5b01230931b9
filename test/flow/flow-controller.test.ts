import { expect } from '@open-wc/testing';
import { OPTION_KEYS, type ConnectOptions } from '../../src/core/config.js';
import { ConnectError } from '../../src/core/errors.js';
import { FlowController, type FlowHost } from '../../src/flow/flow-controller.js';
import { callbackUrl, origins, outcome, until, useOpenSpy } from '../support/helpers.js';

const spy = useOpenSpy();

/**
 * A host as the element is one, without Lit: its properties, its controllers, its updates. The
 * controller under test is the real one, running real flows.
 */
function host(props: Partial<FlowHost> & { statusUrl?: string } = {}) {
  const controllers: { hostConnected?(): void; hostDisconnected?(): void }[] = [];
  const h = {
    provider: 'generic',
    disabled: false,
    autostart: false,
    isConnected: true,
    updates: 0,
    updateComplete: Promise.resolve(true),
    addController: (c: (typeof controllers)[number]) => controllers.push(c),
    requestUpdate() {
      h.updates++;
    },
    connect: () => {
      h.isConnected = true;
      controllers.forEach((c) => c.hostConnected?.());
    },
    disconnect: () => {
      h.isConnected = false;
      controllers.forEach((c) => c.hostDisconnected?.());
    },
    ...props,
  };
  return h as typeof h & FlowHost;
}

const callbacks = () => {
  const seen: string[] = [];
  return {
    seen,
    onConnected: () => seen.push('connected'),
    onFailed: (e: ConnectError) => seen.push(`failed:${e.status}`),
    onSigninRequired: () => seen.push('signin-required'),
  };
};

describe('FlowController: the element as a thin host', () => {
  it('takes the options snapshot itself: every option of the host, and nothing of its own', () => {
    const props: Record<string, unknown> = {};
    for (const key of OPTION_KEYS) props[key] = `value of ${key}`;
    const h = host({ ...props, disabled: true, autostart: true, statusUrl: '/status' });
    const options = new FlowController(h, callbacks()).options();
    expect(Object.keys(options)).to.deep.equal([...OPTION_KEYS]);
    for (const key of OPTION_KEYS) expect(options[key]).to.equal(`value of ${key}`);
    expect(options).not.to.have.property('disabled');
    expect(options).not.to.have.property('statusUrl');
  });

  it('reads the host when a flow starts, not before: a property set later counts', async () => {
    const h = host({ authorizeUrl: 'http://example.com/authorize' }); // unsafe: not https
    const flow = new FlowController(h, callbacks());
    (h as { authorizeUrl?: string }).authorizeUrl = 'javascript:alert(1)';
    const r = await outcome(flow.start());
    expect(r.ok ? 'connected' : r.error.message).to.include('javascript:alert(1)');
    expect(spy.calls.length).to.equal(0);
  });

  it('gives the view its state: idle, then the failure', async () => {
    const cb = callbacks();
    const flow = new FlowController(host({ provider: 'hcss', mode: 'nonsense' as never }), cb);
    expect(flow.view).to.deep.include({
      busy: false,
      severed: false,
      connected: false,
      clickable: true,
    });
    // landing mode (Hint's default): the code arrives in the URL, nothing to click
    expect(new FlowController(host({ provider: 'hint' }), callbacks()).view.clickable).to.equal(
      false,
    );
    expect(flow.view.failure).to.equal(undefined);
    expect(flow.view.phase).to.equal(undefined);
    await outcome(flow.start());
    expect(cb.seen).to.deep.equal(['failed:invalid_config']);
    expect(flow.view.busy).to.equal(false);
    // (its words, and the announcement: the element's, test/words.test.ts)
    expect(flow.view.failure?.status).to.equal('invalid_config');
    expect(flow.view.failure?.message).to.match(/mode/);
  });

  it('busy while a flow runs, connected after it; one flow at a time', async () => {
    const { provider } = await origins();
    const h = host({
      provider: 'hcss',
      authorizeUrl: `${provider}/authorize.html?scenario=approve`,
      clientId: 'c',
      redirectUri: callbackUrl(),
    });
    const cb = callbacks();
    const flow = new FlowController(h, cb);
    const running = flow.start();
    expect(flow.start()).to.equal(running); // nothing new opens
    expect(flow.view.busy).to.equal(true);
    expect(flow.view.phase).to.equal('opening');
    await running;
    expect(spy.calls.length).to.equal(1);
    expect(cb.seen).to.deep.equal(['connected']);
    expect(flow.view).to.deep.include({ busy: false, connected: true, failure: undefined });
    expect(flow.view.phase).to.equal(undefined);
    expect(h.updates).to.be.greaterThan(1);
  });

  it('on connect, with nothing in the URL to finish, autostart starts the flow (redirect mode only)', async () => {
    const cb = callbacks();
    const h = host({ provider: 'hcss', mode: 'popup', autostart: true });
    new FlowController(h, cb);
    h.connect();
    await until(() => cb.seen.length > 0, 3000, 'the autostart outcome');
    expect(cb.seen).to.deep.equal(['failed:invalid_config']); // a popup needs a click
    expect(spy.calls.length).to.equal(0);
  });

  it('a disabled host, or one without autostart, starts nothing on connect', async () => {
    for (const props of [{ autostart: true, disabled: true }, { autostart: false }]) {
      const cb = callbacks();
      const h = host({ provider: 'hcss', mode: 'popup', ...props });
      const flow = new FlowController(h, cb);
      h.connect();
      // a host connected next that does autostart: its outcome (a popup needs a click) comes by
      // the same steps as this host's would, begun later
      const control = callbacks();
      const other = host({ provider: 'hcss', mode: 'popup', autostart: true });
      new FlowController(other, control);
      other.connect();
      await until(() => control.seen.length > 0, 3000, "the other host's autostart outcome");
      expect(control.seen).to.deep.equal(['failed:invalid_config']);
      expect(cb.seen).to.deep.equal([]);
      expect(flow.view.busy).to.equal(false);
    }
  });

  it('disconnecting the host cancels its flow, silently; a move (connected again at once) keeps it', async () => {
    const { provider } = await origins();
    const options: Partial<ConnectOptions> = {
      provider: 'hcss',
      authorizeUrl: `${provider}/authorize.html?scenario=stay`,
      clientId: 'c',
      redirectUri: callbackUrl(),
    };
    const h = host(options);
    const cb = callbacks();
    const flow = new FlowController(h, cb);
    const running = outcome(flow.start());
    h.disconnect();
    h.connect(); // moved
    // the disconnect's check runs in a 0 ms timer: one set after it fires after it (HTML timers)
    await new Promise((resolve) => setTimeout(resolve));
    expect(flow.view.busy).to.equal(true);
    h.disconnect();
    const r = await running;
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    expect(cb.seen, 'a removed host fires nothing').to.deep.equal([]);
    expect(flow.view.busy).to.equal(false);
    await until(() => spy.last?.closed === true, 2000, 'the popup closed');
  });
});
