import { html, LitElement, nothing } from 'lit';
import { modeOf, type ConnectOptions, type ResolveUrl } from './core/config.js';
import type { ConnectError } from './core/errors.js';
import { providers, type Mode, type ProviderId } from './core/providers/index.js';
import type { ConnectResult } from './connect.js';
import { ConnectedEvent, DisconnectedEvent, FailedEvent, SigninRequiredEvent } from './events.js';
import { FlowController } from './flow/flow-controller.js';
import type { HealthState } from './flow/health-controller.js';
import type { HealthView } from './health-view.js';
import { preloadFlow } from './flow/start-flow.js';
import { styles } from './oauth-connect.styles.js';

/**
 * A button that connects the user's account at an OAuth provider: it opens the provider's consent
 * screen in a popup (or redirects, or takes a landing code), detects completion safely (origin,
 * window and `state` checked), hands the code to your backend, and tells the page.
 *
 * @summary Secure OAuth "Connect" button for HCSS, HealthTap, b.well, Hint and any OAuth 2.0 provider.
 *
 * @fires {ConnectedEvent} connected - The flow finished: `detail = { provider, result, returnTo? }`.
 * @fires {FailedEvent} failed - The flow ended without a connection: `detail = { provider, status, message }`.
 * @fires {DisconnectedEvent} disconnected - `disconnect-url` answered 2xx: `detail = { provider, result }`.
 * @fires {SigninRequiredEvent} signin-required - Landing mode: your backend answered the exchange
 *   401 (the user is not signed in to your app yet); the code is held in this tab for the sign-in.
 *   `detail = { provider }`.
 *
 * @slot - The button label (default "Connect <provider>").
 * @slot busy - Shown in the button while a flow runs (default "Connecting…").
 * @slot error - Shown below the button after a failure (default: the failure message).
 * @slot signin - Shown while the element waits for the user's sign-in (default "Sign in to finish
 *   connecting <provider>.").
 *
 * @csspart button - The connect button.
 * @csspart status - The polite live region announcing each phase and the outcome. It shows on
 *   screen after a connection; before, the button, the offer and the error already show what it says.
 * @csspart error - The error text after a failure.
 * @csspart severed - The "Don't see the sign-in window?" group, shown when the popup's handle reads
 *   closed: the user closed it, or the browser took the handle away (Cross-Origin-Opener-Policy).
 *   The flow keeps listening until Cancel, the user being back on the page, or the timeout.
 * @csspart reopen - Its "Reopen" button.
 * @csspart cancel - Its "Cancel" button.
 * @csspart health - The connection's status from `status-url`: "Connected to <name>", the
 *   integration's error, "Checking the connection…" or "Connection status unknown."
 * @csspart reconnect - Its "Reconnect" button (runs the flow again; not in landing mode).
 * @csspart disconnect - Its "Disconnect" button (only with `disconnect-url`).
 * @csspart signin - The "Sign in to finish connecting" notice (landing mode, after a 401).
 *
 * @cssprop [--oauth-connect-bg=#0b5fff] - Button background.
 * @cssprop [--oauth-connect-fg=#fff] - Button text colour.
 * @cssprop [--oauth-connect-radius=0.5rem] - Button corner radius.
 * @cssprop [--oauth-connect-padding=0.6rem 1.1rem] - Button padding.
 * @cssprop [--oauth-connect-font=inherit] - Font shorthand.
 * @cssprop [--oauth-connect-focus=#172554] - Focus ring colour (drawn around a white gap, so it
 *   shows on light and dark pages alike).
 * @cssprop [--oauth-connect-error=#b00020] - Error text colour.
 */
export class OAuthConnect extends LitElement {
  static override styles = styles;

  static override properties = {
    provider: { reflect: true },
    authorizeUrl: { attribute: 'authorize-url' },
    clientId: { attribute: 'client-id' },
    scope: {},
    redirectUri: { attribute: 'redirect-uri' },
    exchangeUrl: { attribute: 'exchange-url' },
    exchangeCredentials: { attribute: 'exchange-credentials' },
    urlEndpoint: { attribute: 'url-endpoint' },
    connectionId: { attribute: 'connection-id' },
    mode: { reflect: true },
    allowedOrigins: { attribute: 'allowed-origins' },
    timeout: { type: Number },
    pollInterval: { type: Number, attribute: 'poll-interval' },
    popupWidth: { type: Number, attribute: 'popup-width' },
    popupHeight: { type: Number, attribute: 'popup-height' },
    pkce: {},
    fallback: {},
    landingPath: { attribute: 'landing-path' },
    disabled: { type: Boolean, reflect: true },
    statusUrl: { attribute: 'status-url' },
    disconnectUrl: { attribute: 'disconnect-url' },
    statusTimeout: { type: Number, attribute: 'status-timeout' },
    autostart: { type: Boolean },
    resolveUrl: { attribute: false },
    extraParams: { attribute: false },
    exchangeHeaders: { attribute: false },
  };

  /** `bwell`, `hcss`, `healthtap`, `hint` or `generic`. */
  declare provider: ProviderId;
  /** The provider's authorize endpoint (presets supply theirs), or the full URL to open. */
  declare authorizeUrl: string | undefined;
  declare clientId: string | undefined;
  /** Space-separated scopes. */
  declare scope: string | undefined;
  /** Must be `https:` (loopback excepted): RFC 6749 §3.1.2.1. Its origin is the default allowed origin. */
  declare redirectUri: string | undefined;
  /** Your backend: receives `{ provider, code, state, codeVerifier?, redirectUri }` and answers JSON. */
  declare exchangeUrl: string | undefined;
  /** `same-origin` (default), `include` or `omit`. */
  declare exchangeCredentials: RequestCredentials | undefined;
  /** Your backend: `POST { provider, connectionId? }` → `{ "url": "…" }`, the URL to open. */
  declare urlEndpoint: string | undefined;
  /** b.well connection id. */
  declare connectionId: string | undefined;
  /**
   * `popup` (default), `polling` (webviews), `redirect`, `landing` (Hint InstantOn) or `server`
   * (the server half completes the flow; `url-endpoint` is its `createServerFlow` route).
   */
  declare mode: Mode | undefined;
  /**
   * Space-separated origins whose messages count (default: the origin of `redirect-uri`).
   * Every message is also checked for `event.source` and `state` (RFC 6749 §10.12).
   */
  declare allowedOrigins: string | readonly string[] | undefined;
  /** ms before the flow fails with `timeout` (default 300000). */
  declare timeout: number | undefined;
  /** ms between popup URL reads (default 500). */
  declare pollInterval: number | undefined;
  declare popupWidth: number | undefined;
  declare popupHeight: number | undefined;
  /** `s256` or `off` (RFC 7636); default from the provider preset. */
  declare pkce: 's256' | 'off' | undefined;
  /** Blocked popup: `redirect`, `none`, or `auto` (redirect inside webviews). */
  declare fallback: 'redirect' | 'none' | 'auto' | undefined;
  /** Landing mode: the path the code must land on. */
  declare landingPath: string | undefined;
  declare disabled: boolean;
  /**
   * Your backend's view of the connection: `GET` → `{ connected, name?, error?, updatedAt? }`, sent
   * with the exchange's credentials and headers. Shown as "Connected to <name> · Reconnect", or the
   * integration's error with Reconnect; a bad or late answer is "status unknown", never connected.
   */
  declare statusUrl: string | undefined;
  /** Your backend's disconnect endpoint: `POST { provider }`; with it, the status offers Disconnect. */
  declare disconnectUrl: string | undefined;
  /** ms before the status (or disconnect) request counts as unanswered (default 5000). */
  declare statusTimeout: number | undefined;
  /**
   * Redirect mode: start the flow without a click, once per tab (e.g. the page the HCSS Marketplace
   * sends a customer to). Set it once the user is signed in. Another mode is `invalid_config`.
   */
  declare autostart: boolean;
  /** Replaces `url-endpoint`: returns the URL to open (e.g. b.well's getOauthUrl from the client). */
  declare resolveUrl: ResolveUrl | undefined;
  /** Extra authorization request parameters. */
  declare extraParams: Record<string, string> | undefined;
  /** Extra headers for the exchange request (e.g. your CSRF header). */
  declare exchangeHeaders: Record<string, string> | undefined;

  private readonly flow = new FlowController(this, {
    onConnected: (detail) => {
      this.dispatchEvent(new ConnectedEvent(detail));
      if (this.statusUrl) void this.refreshStatus();
    },
    onFailed: (error) => this.dispatchEvent(new FailedEvent(failedDetail(this.provider, error))),
    onSigninRequired: () =>
      this.dispatchEvent(new SigninRequiredEvent({ provider: this.provider })),
  });

  /** Connection health: a chunk (controller and view) loaded only when `status-url` is set. */
  private health: HealthView | undefined;
  private healthLoad: Promise<HealthView> | undefined;
  private loadHealth(): Promise<HealthView> {
    return (this.healthLoad ??= import('./health-view.js').then(
      (m) =>
        (this.health = new m.HealthView(this, { html, nothing }, (result) =>
          this.dispatchEvent(new DisconnectedEvent({ provider: this.provider, result })),
        )),
      (error: unknown) => {
        this.healthLoad = undefined;
        throw error;
      },
    ));
  }

  constructor() {
    super();
    this.provider = 'generic';
    this.disabled = false;
    this.autostart = false;
    // The flow engine is a chunk of its own: fetch it, and make the request ahead, as soon as a
    // click looks likely, so the click opens the popup at the provider's URL at once.
    const preload = () => {
      if (!this.disabled) preloadFlow(this.options()).catch(() => undefined);
    };
    for (const type of ['pointerenter', 'focusin', 'touchstart']) {
      this.addEventListener(type, preload, { passive: true });
    }
  }

  /**
   * Starts a flow (what the button does). Call it synchronously from a user gesture. While a flow
   * runs it returns that flow's promise and opens nothing. Rejects with a `ConnectError`.
   */
  connect(): Promise<ConnectResult> {
    return this.flow.start(this.options());
  }

  /** Cancels the running flow (it fails with `cancelled`) and closes its popup. */
  cancel(): void {
    this.flow.cancel();
  }

  /**
   * Finishes what this page holds for the element: a redirect return or landing code in the URL,
   * or (landing mode) the code held while the user signed in — call it after an in-page sign-in.
   * Resolves undefined when there is nothing to finish (or a flow runs); rejects like `connect()`.
   */
  resume(): Promise<ConnectResult | undefined> {
    return this.flow.resume(this.options()) ?? Promise.resolve(undefined);
  }

  /** Fetches `status-url` again. */
  refreshStatus(): Promise<void> {
    return this.loadHealth().then((health) => health.refresh());
  }

  /**
   * POSTs to `disconnect-url`; on success fires `disconnected` and fetches the status again.
   * Rejects with a `ConnectError` (the status then shows the problem).
   */
  disconnect(): Promise<void> {
    return this.loadHealth().then((health) => health.disconnect());
  }

  /** The connection's status from `status-url` (`{ kind: 'off' }` without one). */
  get connectionStatus(): HealthState {
    return this.health?.controller.state ?? { kind: 'off' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // moved to another place in the page: the status request it had was aborted
    if (this.hasUpdated && this.statusUrl) void this.refreshStatus();
    // A redirect return or a landing code in this page's URL is finished as soon as the element's
    // properties are in (after the first update), exactly once: the URL is scrubbed when taken.
    // With nothing to finish, `autostart` may start a flow.
    void this.updateComplete.then(() => {
      if (!this.isConnected) return;
      const resumed = this.flow.resume(this.options());
      if (resumed) resumed.catch(() => undefined);
      else this.maybeAutostart();
    });
  }

  /** The element's control that has the focus before an update. */
  private focused: Element | null | undefined;

  override willUpdate(): void {
    this.focused = this.shadowRoot?.activeElement;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // The control that had the focus is gone (Reconnect became the busy button, the button the
    // status line, Disconnect the button): the focus stays in the element, on its first button.
    if (this.focused && !this.focused.isConnected) this.renderRoot.querySelector('button')?.focus();
    if (changed.has('statusUrl') && (this.statusUrl || this.health)) void this.refreshStatus();
    // set after the first load (e.g. once the page knows the user is signed in)
    if (changed.get('autostart') === false) this.maybeAutostart();
  }

  private maybeAutostart(): void {
    if (this.autostart && !this.disabled) this.flow.autostart(this.options());
  }

  /** The options of a flow: every property but `disabled`, as it is now. */
  private options(): ConnectOptions {
    const options: Record<string, unknown> = {};
    for (const key of Object.keys(OAuthConnect.properties)) {
      if (key !== 'disabled') options[key] = this[key as keyof this];
    }
    return options as ConnectOptions;
  }

  private onClick(): void {
    if (this.disabled) return;
    this.connect().catch(() => undefined); // the outcome is reported by the `failed` event
  }

  private onReopen(): void {
    this.flow.reopen();
  }

  override render() {
    const state = this.flow.state;
    const busy = state.kind === 'running';
    const severed = busy && state.phase === 'severed';
    const failed = state.kind === 'failed';
    const label = providers[this.provider]?.label ?? 'account';
    // Landing mode has nothing to click (the code is already in the URL): only the status shows.
    const clickable = modeOf(this) !== 'landing';
    const health = this.health?.render(busy, clickable, failed, label);
    const described = [health?.describes && 'health', failed && 'error'].filter(Boolean).join(' ');
    const button = html`<button
      part="button"
      type="button"
      ?disabled=${this.disabled}
      aria-disabled=${busy ? 'true' : 'false'}
      aria-busy=${busy ? 'true' : 'false'}
      aria-describedby=${described || nothing}
      @click=${this.onClick}
    >
      ${
        busy
          ? html`<span class="spinner" aria-hidden="true"></span
              ><slot name="busy">Connecting…</slot>`
          : html`<slot>Connect ${label}</slot>`
      }
    </button>`;
    return html`
      ${health?.template ?? nothing} ${clickable && !health?.covers ? button : nothing}
      ${
        severed
          ? html`<div part="severed" role="group" aria-label="Sign-in window">
              <span>Don't see the sign-in window?</span>
              <span class="actions">
                <button part="reopen" type="button" @click=${this.onReopen}>Reopen</button>
                <button part="cancel" type="button" @click=${this.cancel}>Cancel</button>
              </span>
            </div>`
          : nothing
      }
      ${
        state.kind === 'signin-required'
          ? html`<div part="signin">
              <slot name="signin">Sign in to finish connecting ${label}.</slot>
            </div>`
          : nothing
      }
      ${
        failed
          ? html`<div part="error" id="error">
              <slot name="error">${state.error.message}</slot>
            </div>`
          : nothing
      }
      <div
        part="status"
        role="status"
        aria-live="polite"
        class=${state.kind === 'connected' && !this.statusUrl ? '' : 'visually-hidden'}
      >
        ${announcement(state, label)}
      </div>
    `;
  }
}

function announcement(state: FlowController['state'], label: string): string {
  switch (state.kind) {
    case 'running':
      return state.phase === 'severed'
        ? `The ${label} sign-in window is closed or hidden. Reopen it, or cancel.`
        : state.phase === 'exchanging'
          ? `Finishing the ${label} connection…`
          : `Connecting to ${label}…`;
    case 'connected':
      return `Connected to ${label}.`;
    case 'failed':
      return `Could not connect to ${label}: ${state.error.message}`;
    case 'signin-required':
      return `Sign in to finish connecting ${label}.`;
    default:
      return '';
  }
}

function failedDetail(provider: ProviderId, error: ConnectError) {
  return {
    provider,
    status: error.status,
    message: error.message,
    ...(error.error ? { error: error.error } : {}),
    ...(error.errorDescription ? { errorDescription: error.errorDescription } : {}),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'oauth-connect': OAuthConnect;
  }
}
