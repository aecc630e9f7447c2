// The Partner Center feature's public face: each connection's sync status on the settings page, and a
// line saying when Partner Center was last read on the customers list.
export { LastSyncLine, SyncStatus } from './sync-status.tsx';
