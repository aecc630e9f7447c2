import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, api } from '../../lib/api.ts';

/** GET /api/v1/partner: the settings a Global admin edits, and what is fixed (slug, kind, providers). */
export interface PartnerSettings {
  id: string;
  slug: string;
  kind: 'direct' | 'indirect_provider' | 'indirect_reseller';
  legalName: string;
  displayName: string;
  defaultLanguage: string;
  timeZone: string;
  currency: string;
  senderName: string | null;
  senderAddress: string | null;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  brandColor: string;
  accentColor: string;
  paymentTermsDays: number;
  logoUrl: string | null;
  providers: { id: string; slug: string; displayName: string }[];
  updatedAt: string;
}

/** What PATCH /api/v1/partner takes: absent leaves a setting, null clears an optional one. */
export type PartnerSettingsPatch = Partial<
  Omit<PartnerSettings, 'id' | 'slug' | 'kind' | 'logoUrl' | 'providers' | 'updatedAt'>
>;

const settingsKey = ['partner-settings'] as const;

export function usePartnerSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => api<PartnerSettings>('GET', '/partner') });
}

export function useUpdatePartnerSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: PartnerSettingsPatch) => api<PartnerSettings>('PATCH', '/partner', patch),
    onSuccess: (settings) => queryClient.setQueryData(settingsKey, settings),
  });
}

function csrfToken(): string | undefined {
  const found = document.cookie.split('; ').find((part) => part.startsWith('pd_csrf='));
  return found === undefined ? undefined : decodeURIComponent(found.slice('pd_csrf='.length));
}

/** The logo goes up as the raw image, with its own type, which the JSON helper cannot send. */
async function uploadLogo(file: File): Promise<PartnerSettings> {
  const csrf = csrfToken();
  const response = await fetch('/api/v1/partner/logo', {
    method: 'PUT',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': file.type,
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    body: file,
  });
  const body = (await response.json().catch(() => ({}))) as Partial<ApiProblem> & Partial<PartnerSettings>;
  if (!response.ok) {
    throw new ApiProblem({
      type: body.type ?? '/problems/http-error',
      status: response.status,
      detail: body.detail ?? response.statusText,
      field: body.field,
    });
  }
  return body as PartnerSettings;
}

export function useUploadPartnerLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadLogo,
    onSuccess: (settings) => queryClient.setQueryData(settingsKey, settings),
  });
}
