// The partners feature's public face: the app's page table wires PartnerSettingsPage at /staff/settings.
export { PartnerSettingsPage } from './partner-settings-page.tsx';
