import { css } from 'lit';

/**
 * Parts: `button` (the connect button), `status` (live region with the outcome), `error` (the
 * error text), `severed` (the "Don't see the sign-in window?" group), `reopen`, `cancel`.
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
    outline: 3px solid var(--oauth-connect-focus, #ffbf47);
    outline-offset: 2px;
  }
  button[aria-disabled='true'],
  button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }
  [part='severed'] {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  .actions {
    display: inline-flex;
    gap: 0.5rem;
  }
  [part='reopen'],
  [part='cancel'] {
    padding: 0.3rem 0.8rem;
  }
  [part='cancel'] {
    background: transparent;
    color: inherit;
    border-color: currentColor;
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
  [part='error'] {
    color: var(--oauth-connect-error, #b00020);
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
