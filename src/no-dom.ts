/**
 * The main entry where there is no DOM — edge and worker runtimes, Deno (the `worker`, `workerd`,
 * `edge-light` and `deno` export conditions): the same exports as `oauth-connect`, and nothing that
 * needs `HTMLElement` when imported, so server-rendered pages and edge bundles import it safely.
 * There is no element to define here; `connect()` and `startFlow()` reject with `invalid_config`
 * (a flow runs in a browser, in the user's click). In Node, the main entry itself imports safely
 * (Lit's Node build stands in for the DOM).
 */
import { ConnectError } from './core/errors.js';

export * from './connect.js';
export {
  ConnectedEvent,
  ConnectProgressEvent,
  DisconnectedEvent,
  FailedEvent,
  SigninRequiredEvent,
} from './events.js';
export type {
  ConnectedDetail,
  DisconnectedDetail,
  FailedDetail,
  SigninRequiredDetail,
  ProgressDetail,
} from './events.js';

/** Stands in for the element class where there is no DOM: constructing it throws. */
export class OAuthConnect {
  constructor() {
    throw new ConnectError(
      'invalid_config',
      '<oauth-connect> needs a browser: there is no DOM here (a server or an edge runtime).',
    );
  }
}
