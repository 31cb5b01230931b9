export {
  ConnectError,
  FAILURE_STATUSES,
  isConnectError,
  type FailureStatus,
} from './core/errors.js';
