// The customers feature's public face: the app's page table wires CustomersPage at /staff/customers and
// CustomerPage at /staff/customers/<id>.
export { CustomerPage } from './customer-page.tsx';
export { CustomersPage } from './customers-page.tsx';
