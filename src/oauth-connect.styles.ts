import { css } from 'lit';

/**
 * Parts: `button` (the connect button), `status` (live region with the outcome), `error` (the
 * error text), `severed` (the "Don't see the sign-in window?" group), `reopen`, `cancel`,
 * `health` (the status from `status-url`), `reconnect`, `disconnect`, `signin`.
 *
 * Contrast (WCAG 2.2, on a white page; test/element.test.ts measures it): button text 5.1:1, the
 * busy button the same (it keeps its colours: the spinner says it is busy, not a faded button),
 * error text 7.3:1, the focus ring 14.7:1 against the white gap drawn inside it (so it shows on dark
 * pages too). A `disabled` button is faded (3.1:1; WCAG exempts inactive controls).
 *
 * Custom properties (all optional):
 * `--oauth-connect-bg`, `--oauth-connect-fg`, `--oauth-connect-radius`, `--oauth-connect-padding`,
 * `--oauth-connect-font`, `--oauth-connect-focus`, `--oauth-connect-error`.
 */
export const styles = css`
  :host {
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.5rem;
    font: var(--oauth-connect-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 1px solid transparent;
    border-radius: var(--oauth-connect-radius, 0.5rem);
    padding: var(--oauth-connect-padding, 0.6rem 1.1rem);
    background: var(--oauth-connect-bg, #0b5fff);
    color: var(--oauth-connect-fg, #fff);
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  button:focus-visible {
    outline: 3px solid var(--oauth-connect-focus, #172554);
    outline-offset: 2px;
    box-shadow: 0 0 0 2px #fff;
  }
  button[aria-busy='true'] {
    cursor: progress;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }
  .actions {
    display: inline-flex;
    gap: 0.5rem;
  }
  [part='reopen'],
  [part='cancel'],
  .secondary {
    padding: 0.3rem 0.8rem;
  }
  [part='cancel'],
  .secondary {
    background: transparent;
    color: inherit;
    border-color: currentColor;
  }
  [part='severed'],
  [part='health'] {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  [part='error'],
  .error #health,
  .problem {
    color: var(--oauth-connect-error, #b00020);
  }
  .spinner {
    width: 0.9em;
    height: 0.9em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
