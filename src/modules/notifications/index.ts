import type { AppModule } from '#platform/app';
import { notificationRoutes } from './routes.ts';

export { type DeliveryQuery, type DeliveryStatus, deliveryStatuses, listDeliveries } from './deliveries.ts';
export { DeliveryResponse, presentDelivery } from './presenters.ts';
export {
  type NotificationBranding,
  type RenderedNotification,
  type RenderNotificationInput,
  renderNotification,
} from './render.ts';
export {
  type NotificationRecipient,
  type QueuedNotification,
  type SendNotificationInput,
  sendNotification,
} from './send-notification.ts';
export {
  type MfaChange,
  mfaChanges,
  type NotificationTemplate,
  type NotificationValues,
  notificationTemplates,
  type SignInMethod,
  signInMethods,
} from './templates.ts';

/** Mail templates in five languages with the partner's branding, and the partner's delivery log. */
export const notificationsModule: AppModule = {
  name: 'notifications',
  routes: notificationRoutes,
};
