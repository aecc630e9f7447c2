import type { Subscription, SubscriptionStatus } from './store.ts';
import { field, PartnerCenterError, textField } from './wire.ts';

const statusNumbers: Record<string, SubscriptionStatus> = { 1: 'active', 2: 'suspended', 3: 'deleted' };

function requestedStatus(body: unknown): SubscriptionStatus | undefined {
  const value = field(body, 'status');
  if (value === undefined || value === null) return undefined;
  const name = typeof value === 'number' ? statusNumbers[value] : String(value).toLowerCase();
  if (name === 'active' || name === 'suspended' || name === 'deleted') return name;
  throw new PartnerCenterError(400, '400', `Status '${String(value)}' can't be set on a subscription.`);
}

function suspend(subscription: Subscription) {
  if (
    subscription.kind === 'azure-plan' &&
    subscription.azureEntitlements?.some((azure) => azure.status === 'active')
  ) {
    throw new PartnerCenterError(
      403,
      '900115',
      "Azure plan can't be moved to suspended state since you have one or more Azure Subscriptions in the active state",
    );
  }
  subscription.status = 'suspended';
  if (subscription.kind === 'new-commerce') {
    // Documented new-commerce effects: auto-renew off, scheduled changes removed, next-charge kept.
    subscription.autoRenewEnabled = false;
    delete subscription.scheduledNextTermInstructions;
  }
}

function cancel(subscription: Subscription, now: Date) {
  if (subscription.kind === 'legacy') {
    throw new PartnerCenterError(
      400,
      '900213',
      'You have passed your 72-hour cancellation window. We are unable to cancel your purchase',
    );
  }
  if (subscription.kind === 'azure-plan') {
    throw new PartnerCenterError(
      400,
      '400',
      "An Azure plan can't be cancelled by this request: cancel its Azure subscriptions (azureEntitlements/{id}/cancel).",
    );
  }
  if (
    !subscription.cancellationAllowedUntil ||
    now.getTime() > subscription.cancellationAllowedUntil.getTime()
  ) {
    throw new PartnerCenterError(
      400,
      '900117',
      'You have passed your 7-day cancellation window. We are unable to cancel your purchase',
    );
  }
  subscription.status = 'deleted';
  subscription.autoRenewEnabled = false;
  delete subscription.scheduledNextTermInstructions;
  delete subscription.nextChargeInstructions;
}

function optionalObject(body: unknown, name: string): Record<string, unknown> | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PartnerCenterError(400, '400', `The field '${name}' must be an object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Applies a PATCH of the whole subscription. Fields left out are taken as cleared — the documented
 * pitfall: a body without `autoRenewEnabled` turns auto-renew off and one without next-term
 * instructions deletes them. A status change applies only the status and its documented effects.
 */
function updateFields(subscription: Subscription, body: unknown, now: Date) {
  const friendlyName = textField(body, 'friendlyName');
  if (friendlyName !== undefined) subscription.friendlyName = friendlyName;
  const quantity = field(body, 'quantity');
  if (quantity !== undefined && subscription.kind !== 'azure-plan') {
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      throw new PartnerCenterError(400, '400', "The field 'quantity' must be a whole number of at least 1.");
    }
    const pastWindow =
      !subscription.cancellationAllowedUntil ||
      now.getTime() > subscription.cancellationAllowedUntil.getTime();
    if (quantity < subscription.quantity && subscription.kind === 'new-commerce' && pastWindow) {
      throw new PartnerCenterError(
        400,
        '900257',
        'You have passed your 7-day window for reducing seats for this subscription.',
      );
    }
    subscription.quantity = quantity;
  }
  subscription.autoRenewEnabled =
    subscription.kind !== 'azure-plan' && field(body, 'autoRenewEnabled') === true;
  subscription.scheduledNextTermInstructions = optionalObject(body, 'scheduledNextTermInstructions');
  subscription.nextChargeInstructions = optionalObject(body, 'nextChargeInstructions');
}

export function patchSubscription(
  subscription: Subscription,
  body: unknown,
  ifMatch: string | undefined,
  currentEtag: string,
  now: Date,
) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PartnerCenterError(400, '400', 'The request body must be the whole Subscription resource.');
  }
  const bodyId = textField(body, 'id');
  if (bodyId !== undefined && bodyId.toLowerCase() !== subscription.id.toLowerCase()) {
    throw new PartnerCenterError(
      400,
      '400',
      `The body's id '${bodyId}' is not the subscription ${subscription.id}.`,
    );
  }
  if (subscription.pendingOperation === '800082') {
    throw new PartnerCenterError(
      409,
      '800082',
      'Subscription is not ready to be updated. Try again after sometime',
    );
  }
  if (subscription.pendingOperation === '900278') {
    throw new PartnerCenterError(
      409,
      '900278',
      'There is a pending operation on this subscription. Please try again after 24 hours.',
    );
  }
  // The reactivate sample sends no If-Match: then the etag in the body's attributes, if any, is checked.
  const etag = ifMatch ?? textField(field(body, 'attributes'), 'etag');
  if (etag !== undefined && etag !== currentEtag) {
    throw new PartnerCenterError(400, '2055', 'Etag is no longer valid');
  }
  if (subscription.status === 'deleted') {
    throw new PartnerCenterError(
      400,
      '2011',
      `Subscription with ID ${subscription.id} and deleted status can't be updated.`,
    );
  }
  if (subscription.status !== 'active' && subscription.status !== 'suspended') {
    throw new PartnerCenterError(
      400,
      '900277',
      'Your subscription is in the process of being expired. No further updates are allowed on this subscription.',
    );
  }
  const status = requestedStatus(body) ?? subscription.status;
  if (status !== subscription.status) {
    if (status === 'suspended') suspend(subscription);
    else if (status === 'deleted') cancel(subscription, now);
    else subscription.status = 'active';
  } else if (subscription.status === 'suspended') {
    throw new PartnerCenterError(400, '800091', "Can't update a subscription with suspended status");
  } else {
    updateFields(subscription, body, now);
  }
  subscription.version += 1;
}
