// The vendor-bills feature's public face: the app's page table wires VendorBillsPage at /staff/vendor-bills
// (and its tabs), ImportPage at …/imports/<id> and InvoiceLinesPage at …/invoices/<number>; the staff
// dashboard shows PayablesCard.
export { ImportPage } from './import-page.tsx';
export { InvoiceLinesPage } from './lines-page.tsx';
export { PayablesCard } from './payables-card.tsx';
export { VendorBillsPage } from './vendor-bills-page.tsx';
