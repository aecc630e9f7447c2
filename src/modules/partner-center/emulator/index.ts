// The emulator's public face, re-exported by the module's index.ts.
export type { EmulatorAdmin, ServiceRequestView, SubscriptionChange, SubscriptionView } from './admin.ts';
export type { CountedFault, FaultConfig } from './faults.ts';
export type { SeededCredentials } from './seed.ts';
export {
  defaultEmulatorSeed,
  type EmulatorOptions,
  emulatorCredentials,
  type RunningEmulator,
  startEmulator,
} from './server.ts';
export type { AdvanceServiceRequest, OpenServiceRequest } from './service-requests.ts';
