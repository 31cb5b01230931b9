import { html, LitElement, nothing } from 'lit';
import type { ResolveUrl } from './core/config.js';
import type { ConnectError } from './core/errors.js';
import { presetOf, providers, type Mode, type ProviderId } from './core/providers/index.js';
import type { ConnectResult } from './connect.js';
import {
  ConnectedEvent,
  ConnectProgressEvent,
  DisconnectedEvent,
  FailedEvent,
  SigninRequiredEvent,
} from './events.js';
import { FlowController, type FlowView } from './flow/flow-controller.js';
import type { HealthState } from './flow/health.js';
import type { HealthView } from './health-view.js';
import { styles } from './oauth-connect.styles.js';
import { failureText, fill, followLang, langOf, wordsFor, type Words } from './words/words.js';

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
 * @fires {ConnectProgressEvent} connect-progress - Each step of a flow, for your analytics:
 *   `detail = { phase, flowId, provider, mode, at, status? }` (README: Progress).
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
    issuer: {},
    requireIss: { type: Boolean, attribute: 'require-iss' },
    landingPath: { attribute: 'landing-path' },
    providerName: { attribute: 'provider-name' },
    messages: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    statusUrl: { attribute: 'status-url' },
    disconnectUrl: { attribute: 'disconnect-url' },
    statusTimeout: { type: Number, attribute: 'status-timeout' },
    autostart: { type: Boolean },
    resolveUrl: { attribute: false },
    extraParams: { attribute: false },
    exchangeHeaders: { attribute: false },
  };

  // The flow's options, one property each: documented once, on ConnectOptions (core/config.ts);
  // custom-elements.json (and from it the editor data and the README's table) takes the text there.
  declare provider: ProviderId;
  declare authorizeUrl: string | undefined;
  declare clientId: string | undefined;
  declare scope: string | undefined;
  declare redirectUri: string | undefined;
  declare exchangeUrl: string | undefined;
  declare exchangeCredentials: RequestCredentials | undefined;
  declare urlEndpoint: string | undefined;
  declare connectionId: string | undefined;
  declare mode: Mode | undefined;
  declare allowedOrigins: string | readonly string[] | undefined;
  declare timeout: number | undefined;
  declare pollInterval: number | undefined;
  declare popupWidth: number | undefined;
  declare popupHeight: number | undefined;
  declare pkce: 's256' | 'off' | undefined;
  declare fallback: 'redirect' | 'none' | 'auto' | undefined;
  declare issuer: string | undefined;
  declare requireIss: boolean | undefined;
  declare landingPath: string | undefined;
  declare resolveUrl: ResolveUrl | undefined;
  declare extraParams: Readonly<Record<string, string>> | undefined;
  declare exchangeHeaders: Readonly<Record<string, string>> | undefined;

  // The element's own properties.
  /**
   * No flow starts (the button is disabled, nothing is loaded ahead, no autostart).
   * @default false
   */
  declare disabled: boolean;
  /**
   * Your backend's view of the connection: `GET` → `{ connected, name?, error?, updatedAt? }`, sent
   * with the exchange's credentials and headers. Shown as "Connected to (name) · Reconnect", or the
   * integration's error with Reconnect; a bad or late answer is "status unknown", never connected
   * (README: Connection health).
   * @default none: no status shown
   */
  declare statusUrl: string | undefined;
  /**
   * Your backend's disconnect endpoint, `POST { provider }`: with it (and `status-url`) the status
   * line offers Disconnect.
   * @default none: no Disconnect
   */
  declare disconnectUrl: string | undefined;
  /**
   * ms before the status (or disconnect) request counts as unanswered: "status unknown". Below 1
   * or not a number, no request is made and the status is unknown, naming this option.
   * @default 5000
   */
  declare statusTimeout: number | undefined;
  /**
   * `redirect` mode only: start the flow without a click, once per tab and provider (e.g. the page
   * the HCSS Marketplace sends a customer to); set it once the user is signed in. In another mode
   * the flow fails `invalid_config` and nothing opens.
   * @default false
   */
  declare autostart: boolean;
  /**
   * The provider's name in the element's words ("Connect Acme"): a preset has its own (HCSS,
   * HealthTap, b.well, Hint); a `generic` provider without one is "your account".
   * @default the preset's
   */
  declare providerName: string | undefined;
  /**
   * Any of the element's words, replacing its language's (`{ connect: 'Link {provider}' }`): the
   * keys and placeholders of `words/en.ts` (README: Words and languages). The language is the
   * element's `lang`, else the nearest ancestor's, else the document's: English and Spanish ship.
   */
  declare messages: Partial<Words> | undefined;

  private readonly flow = new FlowController(this, {
    onConnected: (detail) => {
      this.dispatchEvent(new ConnectedEvent(detail));
      if (this.statusUrl) void this.refreshStatus();
    },
    onFailed: (error) => this.dispatchEvent(new FailedEvent(failedDetail(this.provider, error))),
    onSigninRequired: () =>
      this.dispatchEvent(new SigninRequiredEvent({ provider: this.provider })),
    onProgress: (progress) => this.dispatchEvent(new ConnectProgressEvent(progress)),
  });

  /** Connection health: a chunk (controller and view) loaded only when `status-url` is set. */
  private health: HealthView | undefined;
  private healthLoad: Promise<HealthView> | undefined;
  private loadHealth(): Promise<HealthView> {
    return (this.healthLoad ??= import('./health-view.js').then(
      (m) =>
        (this.health = new m.HealthView(this, { html, nothing, fill }, (result) => {
          this.flow.forget(); // no longer "Connected to …"
          this.dispatchEvent(new DisconnectedEvent({ provider: this.provider, result }));
        })),
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
    const preload = () => this.flow.preload();
    for (const type of ['pointerenter', 'focusin', 'touchstart']) {
      this.addEventListener(type, preload, { passive: true });
    }
  }

  /**
   * Starts a flow (what the button does). Call it synchronously from a user gesture. While a flow
   * runs it returns that flow's promise and opens nothing. Rejects with a `ConnectError`.
   */
  connect(): Promise<ConnectResult> {
    return this.flow.start();
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
    return this.flow.resume();
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

  private unfollowLang: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // a `lang` set or changed on the element, an ancestor or the document re-renders it
    this.unfollowLang ??= followLang(this);
    // moved to another place in the page: the status request it had was aborted
    if (this.hasUpdated && this.statusUrl) void this.refreshStatus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollowLang?.();
    this.unfollowLang = undefined;
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
    if (changed.get('autostart') === false) this.flow.autostart();
  }

  private onClick(): void {
    if (this.disabled) return;
    this.connect().catch(() => undefined); // the outcome is reported by the `failed` event
  }

  private onReopen(): void {
    this.flow.reopen();
  }

  /** The element's words now, in its language, `messages` over them. */
  private words(): Words {
    return wordsFor(langOf(this), this.messages, () => this.requestUpdate());
  }

  override render() {
    const view = this.flow.view;
    const { busy, clickable } = view;
    const words = this.words();
    const name =
      this.providerName?.trim() ||
      (presetOf(this.provider) === 'generic' ? undefined : label(this.provider)) ||
      words.yourAccount;
    const named = { provider: name };
    const error = view.failure && failureText(words, view.failure);
    // Landing mode has nothing to click (the code is already in the URL): only the status shows.
    const health = this.health?.render(busy, clickable, error !== undefined, name, words);
    const described = [health?.describes && 'health', error !== undefined && 'error']
      .filter(Boolean)
      .join(' ');
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
              ><slot name="busy">${words.connecting}</slot>`
          : html`<slot>${fill(words.connect, named)}</slot>`
      }
    </button>`;
    return html`
      ${health?.template ?? nothing} ${clickable && !health?.covers ? button : nothing}
      ${
        view.severed
          ? html`<div part="severed" role="group" aria-label=${words.severedGroup}>
              <span>${words.severed}</span>
              <span class="actions">
                <button part="reopen" type="button" @click=${this.onReopen}>${words.reopen}</button>
                <button part="cancel" type="button" @click=${this.cancel}>${words.cancel}</button>
              </span>
            </div>`
          : nothing
      }
      ${
        view.signin
          ? html`<div part="signin">
              <slot name="signin">${fill(words.signin, named)}</slot>
            </div>`
          : nothing
      }
      ${
        error !== undefined
          ? html`<div part="error" id="error">
              <slot name="error">${error}</slot>
            </div>`
          : nothing
      }
      <div
        part="status"
        role="status"
        aria-live="polite"
        class=${view.connected && !this.statusUrl ? '' : 'visually-hidden'}
      >
        ${announcement(view, words, name, error)}
      </div>
    `;
  }
}

/** A preset's name for people (none for an unknown provider: its failure says so). */
function label(provider: ProviderId): string | undefined {
  const preset = presetOf(provider);
  return preset && providers[preset].label;
}

/** What the polite live region says. */
function announcement(view: FlowView, words: Words, name: string, error?: string): string {
  const named = { provider: name };
  if (view.busy) {
    const phrase = view.severed
      ? words.announceSevered
      : view.phase === 'exchanging'
        ? words.announceExchanging
        : words.announceConnecting;
    return fill(phrase, named);
  }
  if (view.connected) return fill(words.announceConnected, named);
  if (error !== undefined) return fill(words.announceFailed, { ...named, reason: error });
  if (view.signin) return fill(words.signin, named);
  return '';
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
