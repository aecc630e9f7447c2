import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiProblem, api, csrfToken, problemFromText } from '../../lib/api.ts';

/** GET /api/v1/jobs/:id: the job carrying out an import or a pull. */
export interface JobProgress {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  done: number;
  total: number | null;
  message: string | null;
  error: string | null;
}

export type VendorCloud = 'public' | 'usgov' | 'china';
export type LineForm = 'billed_recon' | 'daily_usage' | 'legacy_license' | 'legacy_usage';
export type ImportSource = 'csv_upload' | 'csv_cli' | 'graph_export' | 'v1_line_items';
export type ImportStatus = 'running' | 'completed' | 'unchanged' | 'failed';

/** What an import counted once finished (see ImportSummary on the server); empty while it runs. */
export interface ImportSummary {
  lines?: number;
  deliveriesCreated?: number;
  deliveriesUnchanged?: number;
  deliveriesSuperseded?: number;
  unknownCustomerLines?: number;
  usageLinesLinked?: number;
  invoices?: { invoiceNumber: string; form: LineForm; currency: string; lines: number; total: string }[];
  estimates?: { period: string; form: LineForm; currency: string; lines: number; total: string }[];
}

/** GET /api/v1/vendor-bills/imports: one file or connector pull, its progress and its outcome. */
export interface ImportView {
  id: string;
  source: ImportSource;
  form: LineForm | null;
  cloud: VendorCloud;
  fileName: string | null;
  fileBytes: number | null;
  status: ImportStatus;
  rowsRead: number;
  bytesRead: number;
  errorFile: string | null;
  errorLine: number | null;
  errorColumn: string | null;
  errorMessage: string | null;
  summary: ImportSummary;
  startedBy: string;
  /** The person's name, or what started it (daily pull, command line); null when unknown. */
  startedByName: string | null;
  jobId: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export type ImportDetail = ImportView & { deliveries: DeliveryView[] };

export type DeliveryStatus = 'loading' | 'current' | 'superseded' | 'discarded';

/** One delivery of billed lines (per invoice) or of an estimate (per month and currency). */
export interface DeliveryView {
  id: string;
  kind: 'billed' | 'estimate';
  form: LineForm;
  deliveryKey: string;
  invoiceNumber: string | null;
  period: string | null;
  currency: string;
  /** Null for a discarded delivery: the same lines as the current one, never a version of its own. */
  version: number | null;
  lineCount: number;
  total: string;
  status: DeliveryStatus;
  createdAt: string;
  supersededAt: string | null;
}

export type ReconciliationStatus = 'matches' | 'differs' | 'no_lines' | 'no_total';

export interface InvoiceReconciliation {
  invoiceNumber: string;
  currency: string;
  microsoftTotal: string | null;
  billedLinesTotal: string | null;
  difference: string | null;
  status: ReconciliationStatus;
}

export const PAYABLE_STATUSES = ['open', 'due_soon', 'overdue', 'paid'] as const;
export type PayableStatus = (typeof PAYABLE_STATUSES)[number];

/** Microsoft's invoice to the partner, with terms, due date and payment. */
export interface VendorInvoice {
  id: string;
  invoiceNumber: string;
  cloud: string;
  documentType: 'invoice' | 'credit_note';
  invoiceDate: string;
  billingPeriodStart: string | null;
  billingPeriodEnd: string | null;
  currency: string;
  total: string | null;
  billedLinesTotal: string | null;
  difference: string | null;
  termsDays: number;
  termsOverridden: boolean;
  dueDate: string | null;
  paidAt: string | null;
  paidAmount: string | null;
  paidSource: 'manual' | 'imported' | null;
  status: PayableStatus;
  daysOverdue: number;
  suspensionDate: string | null;
  outstanding: string | null;
  source: 'connector' | 'import';
}

export interface PayablesWarning {
  kind: 'due_soon' | 'overdue' | 'suspension_risk' | 'credit_limit_exceeded';
  invoiceId: string | null;
  invoiceNumber: string | null;
  currency: string;
  amount: string | null;
  dueDate: string | null;
  daysOverdue: number;
  suspensionDate: string | null;
}

export interface PayablesSummary {
  today: string;
  byCurrency: { currency: string; open: string; dueSoon: string; overdue: string }[];
  dueByDate: { dueDate: string; currency: string; amount: string }[];
  nextSuspensionDate: string | null;
  daysToSuspension: number | null;
  creditLimitUsd: string | null;
  openUsd: string;
  unbilledUsd: string;
  headroomUsd: string | null;
  currenciesNotInUsd: string[];
  warnings: PayablesWarning[];
}

export interface PayablesSettings {
  creditLimitUsd: string | null;
  warnDaysBefore: number;
  paymentTermsDays: number;
}

export interface PeriodCompleteness {
  period: string;
  currency: string;
  status: 'estimated' | 'final';
  billedTotal: string | null;
  estimateTotal: string | null;
  invoiceNumbers: string[];
  finalExpectedBy: string;
}

export type ServiceFamily = 'azure' | 'm365' | 'd365' | 'other';

/** One of Microsoft's cost lines, with the file and line it came from. */
export interface CostLine {
  form: LineForm;
  invoiceNumber: string | null;
  period: string;
  sourceName: string;
  sourceLine: number;
  customerTenantId: string | null;
  customerName: string | null;
  customerId: string | null;
  subscriptionId: string | null;
  productName: string | null;
  skuName: string | null;
  meterName: string | null;
  serviceFamily: ServiceFamily;
  chargeType: string;
  chargeStart: string | null;
  chargeEnd: string | null;
  usageDate: string | null;
  quantity: string | null;
  unitPrice: string | null;
  effectiveUnitPrice: string | null;
  cost: string;
  currency: string;
  pricingCurrency: string | null;
  pricingTotal: string | null;
  exchangeRate: string | null;
  creditType: string | null;
  isReservation: boolean;
  deliveryId: string;
  lineNumber: number;
  importId: string;
  deliveryVersion: number;
  kind: 'billed' | 'estimate';
}

export interface LineTotals {
  currency: string;
  cost: string;
  lines: number;
}

export interface UnknownCustomer {
  customerTenantId: string | null;
  customerName: string | null;
  lines: number;
  costByCurrency: { currency: string; cost: string }[];
  lastPeriod: string | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const POLL_MS = 1000;
const root = '/vendor-bills';
const importsKey = ['vendor-bills', 'imports'] as const;
/** Everything an import can change: imports, deliveries, invoices, lines, periods and payables. */
const everythingKey = ['vendor-bills'] as const;

const isFinished = (status: ImportStatus | undefined) => status !== undefined && status !== 'running';

/** The import history, latest first; asked every second while one of them runs. */
export function useImports() {
  return useInfiniteQuery({
    queryKey: importsKey,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '25' });
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<ImportView>>('GET', `${root}/imports?${params}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((item) => item.status === 'running'))
        ? POLL_MS
        : false,
  });
}

/**
 * One import with its deliveries, asked every second until it is finished. When it is seen to finish,
 * every vendor-bill list is read again, since the import changed them.
 */
export function useImport(importId: string | null) {
  const queryClient = useQueryClient();
  const key = [...importsKey, importId];
  return useQuery({
    queryKey: key,
    enabled: importId !== null,
    queryFn: async () => {
      const before = queryClient.getQueryData<ImportView>(key);
      const found = await api<ImportDetail>('GET', `${root}/imports/${encodeURIComponent(importId!)}`);
      if (before && !isFinished(before.status) && isFinished(found.status)) {
        await queryClient.invalidateQueries({
          queryKey: everythingKey,
          predicate: (query) => query.queryKey[2] !== importId,
        });
      }
      return found;
    },
    refetchInterval: (query) => (isFinished(query.state.data?.status) ? false : POLL_MS),
  });
}

/** Takes an upload's answer as the import's state at once, so its finishing is noticed however fast. */
export function useSeedImport() {
  const queryClient = useQueryClient();
  return (view: ImportView) => {
    queryClient.setQueryData<ImportDetail>([...importsKey, view.id], { ...view, deliveries: [] });
    // The history lists the new import too, and follows it while it runs.
    void queryClient.invalidateQueries({ queryKey: importsKey, exact: true });
  };
}

/** The job carrying an import or a pull out, asked every second until it ends. */
export function useJob(jobId: string | null) {
  return useQuery({
    queryKey: ['job', jobId],
    enabled: jobId !== null,
    queryFn: () => api<JobProgress>('GET', `/jobs/${jobId}`),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
}

/** Every version of one delivery, first to latest. */
export function useDeliveryHistory(deliveryKey: string | null) {
  return useQuery({
    queryKey: [...everythingKey, 'deliveries', deliveryKey],
    enabled: deliveryKey !== null,
    queryFn: () =>
      api<{ items: DeliveryView[] }>('GET', `${root}/deliveries?key=${encodeURIComponent(deliveryKey!)}`),
    select: (page) => page.items,
  });
}

export interface UploadAnswer {
  import: ImportView;
  jobId: string;
}

/**
 * Sends a reconciliation file to POST /vendor-bills/imports. XMLHttpRequest rather than fetch: only it
 * reports how much of the body has gone out, which is most of the wait for a large file.
 */
export function uploadImport(
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1${root}/imports`);
    request.setRequestHeader('accept', 'application/json');
    const csrf = csrfToken();
    if (csrf !== undefined) request.setRequestHeader('x-csrf-token', csrf);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve(JSON.parse(request.responseText));
      else reject(problemFromText(request.status, request.statusText, request.responseText));
    });
    request.addEventListener('error', () =>
      reject(new ApiProblem({ type: '/problems/network', status: 0, detail: 'The upload was interrupted' })),
    );
    const body = new FormData();
    body.append('file', file);
    request.send(body);
  });
}

/** GET /api/v1/vendor-bills/connections: a connected cloud instance and how its last use went. */
export interface PullConnection {
  cloud: VendorCloud;
  status: 'untested' | 'ok' | 'failed';
  lastError: string | null;
}

/** The partner's connected clouds; read again after each pull, which records how the connection did. */
export function usePullConnections() {
  return useQuery({
    queryKey: [...everythingKey, 'connections'],
    queryFn: () => api<{ items: PullConnection[] }>('GET', `${root}/connections`),
    select: (page) => page.items,
  });
}

export interface PullRequest {
  cloud: VendorCloud;
  what: 'invoices' | 'billed' | 'unbilled';
}

/** Asks the connection for invoices, billed lines or the current estimate; the history is read again. */
export function useStartPull() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: PullRequest) =>
      api<{ jobId: string; importIds: string[] }>('POST', `${root}/pulls`, request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: importsKey }),
  });
}

export function useReconciliation() {
  return useQuery({
    queryKey: [...everythingKey, 'reconciliation'],
    queryFn: () => api<{ items: InvoiceReconciliation[] }>('GET', `${root}/reconciliation`),
    select: (page) => new Map(page.items.map((item) => [item.invoiceNumber, item])),
  });
}

export function usePeriods() {
  return useQuery({
    queryKey: [...everythingKey, 'periods'],
    queryFn: () => api<PeriodCompleteness[]>('GET', `${root}/periods`),
  });
}

const invoicesKey = [...everythingKey, 'invoices'] as const;

/** Microsoft's invoices, newest first, optionally of one payable status. */
export function useVendorInvoices(status: PayableStatus | '') {
  return useInfiniteQuery({
    queryKey: [...invoicesKey, status],
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (status) params.set('status', status);
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<VendorInvoice>>('GET', `${root}/invoices?${params}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export interface InvoicePatch {
  termsDays?: number | null;
  paidAt?: string | null;
  paidAmount?: string | null;
}

/** Overrides an invoice's terms or records its payment; invoices and the summary are read again. */
export function useUpdateVendorInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: InvoicePatch }) =>
      api<VendorInvoice>('PATCH', `${root}/invoices/${encodeURIComponent(id)}`, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: everythingKey }),
  });
}

export function usePayablesSummary() {
  return useQuery({
    queryKey: [...everythingKey, 'payables-summary'],
    queryFn: () => api<PayablesSummary>('GET', `${root}/payables/summary`),
  });
}

const settingsKey = [...everythingKey, 'settings'] as const;

export function usePayablesSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => api<PayablesSettings>('GET', `${root}/settings`) });
}

export function useSavePayablesSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: { creditLimitUsd: string | null; warnDaysBefore: number }) =>
      api<PayablesSettings>('PUT', `${root}/settings`, settings),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: everythingKey }),
  });
}

/** The lines' filters as a page holds them; blank means "any". */
export interface LineFilters {
  invoiceNumber: string;
  customerId: string;
  serviceFamily: '' | ServiceFamily;
  chargeType: string;
}

/** Current cost lines matching the filters, with totals over all of them (not only the pages shown). */
export function useCostLines(filters: LineFilters) {
  return useInfiniteQuery({
    queryKey: [...everythingKey, 'lines', filters],
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '100' });
      for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<CostLine> & { totals: LineTotals[] }>('GET', `${root}/lines?${params}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useUnknownCustomers() {
  return useQuery({
    queryKey: [...everythingKey, 'unknown-customers'],
    queryFn: () => api<UnknownCustomer[]>('GET', `${root}/unknown-customers`),
  });
}
