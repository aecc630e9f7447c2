import { invalid } from '#platform/errors';

/** The Partner Center instances (reference/partner-center.md §2.1). */
export type CloudName = 'public' | 'usgov' | 'china' | 'germany';

export interface CloudInstance {
  name: CloudName;
  label: string;
  /** Partner Center REST API base URL, without `/v1`. */
  apiBaseUrl: string;
  /** Microsoft Entra ID authority: tokens come from `<authority>/<tenant>/oauth2/token`. */
  authority: string;
  /**
   * Microsoft Graph of that cloud (reference §2.1). Its partner billing exports are served by the global
   * one only ("unavailable in sovereign cloud"): the billing client refuses them elsewhere.
   */
  graphUrl: string;
  /** Set for an instance that no longer takes calls; kept so stored connections can be explained. */
  retired?: string;
}

export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';
/** The audience of Graph tokens; only the global Graph has the billing exports, so only its audience. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const cloudInstances: Readonly<Record<CloudName, CloudInstance>> = {
  public: {
    name: 'public',
    label: 'Partner Center (global)',
    apiBaseUrl: 'https://api.partnercenter.microsoft.com',
    authority: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
  },
  usgov: {
    name: 'usgov',
    label: 'Partner Center for Microsoft Cloud for US Government',
    // "REST endpoints … are the same as for Partner Center"; only the authority differs.
    apiBaseUrl: 'https://api.partnercenter.microsoft.com',
    authority: 'https://login.microsoftonline.us',
    graphUrl: 'https://graph.microsoft.us',
  },
  china: {
    name: 'china',
    label: 'Partner Center operated by 21Vianet',
    apiBaseUrl: 'https://partner.partnercenterapi.microsoftonline.cn',
    authority: 'https://login.chinacloudapi.cn',
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
  },
  germany: {
    name: 'germany',
    label: 'Partner Center for Microsoft Cloud Germany',
    apiBaseUrl: 'https://api.partnercenter.microsoft.com',
    authority: 'https://login.microsoftonline.de',
    graphUrl: 'https://graph.microsoft.de',
    retired:
      'Microsoft Cloud Germany closed on 2021-10-29; its partners moved to a CSP account in another European region',
  },
};

export function isCloudName(value: string): value is CloudName {
  return Object.hasOwn(cloudInstances, value);
}

/** The instance to call, with its URLs overridden (the emulator's, for example). */
export function resolveCloud(
  name: string,
  overrides: { baseUrl?: string; authority?: string; graphUrl?: string } = {},
): CloudInstance {
  if (!isCloudName(name)) {
    throw invalid(
      'partner-center-cloud-unknown',
      `"${name}" is not a Partner Center instance; use one of ${Object.keys(cloudInstances).join(', ')}`,
      { field: 'cloud' },
    );
  }
  const cloud = cloudInstances[name];
  if (cloud.retired) {
    throw invalid('partner-center-cloud-retired', `${cloud.label} is retired: ${cloud.retired}.`, {
      field: 'cloud',
    });
  }
  return {
    ...cloud,
    apiBaseUrl: trimSlash(overrides.baseUrl ?? cloud.apiBaseUrl),
    authority: trimSlash(overrides.authority ?? cloud.authority),
    graphUrl: trimSlash(overrides.graphUrl ?? cloud.graphUrl),
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
