/**
 * The connection-health part of `<oauth-connect>`, a chunk loaded only by an element with a
 * `status-url` (the first load stays as it was): the controller (flow/health.ts) and
 * what the element renders of it. Rendering only: what to fetch, validate and show is decided in
 * the flow and core layers.
 */
import type { html as litHtml, nothing as litNothing } from 'lit';
import type { ControllerHost } from './flow/flow-controller.js';
import { HealthController, type HealthOptions, type HealthState } from './flow/health.js';
import type { ProviderId } from './core/providers/types.js';
import type { Words } from './words/words.js';

/** words/words.ts `fill`, passed in by the element. */
type Fill = (template: string, values: Readonly<Record<string, string>>) => string;

/** What the view needs of the element. */
export interface HealthHost extends ControllerHost, HTMLElement {
  readonly provider: ProviderId;
  readonly statusUrl: string | undefined;
  readonly disconnectUrl: string | undefined;
  readonly exchangeCredentials: RequestCredentials | undefined;
  readonly exchangeHeaders: Readonly<Record<string, string>> | undefined;
  readonly statusTimeout: number | undefined;
  readonly disabled: boolean;
  connect(): Promise<unknown>;
}

/** What the element places: the status part, and whether it takes the button's place. */
export interface HealthPart {
  readonly template: unknown;
  /** Connected, or the integration's error: the line (with Reconnect) replaces the button. */
  readonly covers: boolean;
  /** The button is described by the status text (`#health`): "unknown", "checking". */
  readonly describes: boolean;
}

export class HealthView {
  readonly controller: HealthController;

  /**
   * Lit's `html` and `nothing` come from the element (`lit`): importing them here would split Lit
   * into a chunk of its own, a request and some bytes more on the first load.
   */
  constructor(
    private readonly host: HealthHost,
    // (the element's own Lit and `fill`, passed in: this chunk imports nothing the element has)
    private readonly lit: {
      readonly html: typeof litHtml;
      readonly nothing: typeof litNothing;
      readonly fill: Fill;
    },
    onDisconnected: (result: Record<string, unknown>) => void,
  ) {
    this.controller = new HealthController(host, onDisconnected);
  }

  refresh(): Promise<void> {
    return this.controller.refresh(this.options());
  }

  disconnect(): Promise<void> {
    return this.controller.disconnect(this.options());
  }

  /**
   * `busy`: a flow runs (the busy button shows, not the line); `clickable`: a flow can start from a
   * click (not landing mode: no Reconnect there); `failed`: the error part (`#error`) shows.
   */
  render(
    busy: boolean,
    clickable: boolean,
    failed: boolean,
    label: string,
    words: Words,
  ): HealthPart {
    const { html, nothing } = this.lit;
    const state = this.controller.state;
    const note = noteOf(state, label, words, this.lit.fill);
    if (!note) return { template: nothing, covers: false, describes: false };
    if (busy || (state.kind !== 'connected' && state.kind !== 'error')) {
      return {
        template: html`<div part="health" id="health">${note}</div>`,
        covers: false,
        describes: true,
      };
    }
    const problem = state.problem;
    const described = ['health', problem && 'problem', failed && 'error'].filter(Boolean).join(' ');
    return {
      covers: true,
      describes: false,
      template: html`<div part="health" class=${state.kind}>
        <span id="health">${note}</span>
        ${
          clickable
            ? html`<span aria-hidden="true">·</span>
                <button
                  part="reconnect"
                  class="secondary"
                  type="button"
                  ?disabled=${this.host.disabled}
                  aria-describedby=${described}
                  @click=${this.onReconnect}
                >
                  ${words.reconnect}
                </button>`
            : nothing
        }
        ${
          this.host.disconnectUrl
            ? html`<button
                part="disconnect"
                class="secondary"
                type="button"
                aria-disabled=${state.busy ? 'true' : 'false'}
                aria-describedby=${described}
                @click=${this.onDisconnect}
              >
                ${state.busy ? words.disconnecting : words.disconnect}
              </button>`
            : nothing
        }
        ${
          problem
            ? html`<span class="problem" id="problem"
                >${this.lit.fill(words.disconnectFailed, { problem })}</span
              >`
            : nothing
        }
      </div>`,
    };
  }

  /** Reconnect: a new flow (the busy button takes the line's place, and the focus). */
  private readonly onReconnect = () => {
    if (this.host.disabled) return;
    this.host.connect().catch(() => undefined); // reported by the `failed` event
  };

  private readonly onDisconnect = () => {
    const state = this.controller.state;
    if ('busy' in state && state.busy) return;
    this.disconnect().catch(() => undefined); // shown beside the status
  };

  private options(): HealthOptions {
    const host = this.host;
    return {
      provider: host.provider,
      statusUrl: host.statusUrl,
      disconnectUrl: host.disconnectUrl,
      credentials: host.exchangeCredentials,
      headers: host.exchangeHeaders,
      timeout: host.statusTimeout,
    };
  }
}

/** What the status line says (empty: nothing to show). */
function noteOf(state: HealthState, label: string, words: Words, fill: Fill): string {
  switch (state.kind) {
    case 'connected':
      return fill(words.healthConnected, { name: state.name ?? label });
    case 'error':
      return state.message; // the integration's own words
    case 'checking':
      return words.healthChecking;
    case 'unknown':
      return words.healthUnknown;
    default:
      return '';
  }
}

export type { HealthState };
