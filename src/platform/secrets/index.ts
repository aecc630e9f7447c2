export {
  KEY_FILE,
  type Keyring,
  type KeyringOptions,
  loadKeyring,
  SecretError,
  type SecretErrorReason,
} from './keyring.ts';
