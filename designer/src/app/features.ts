/** Menu order: what staff use every day first, what admins build after. */
import { accessFeature } from '../access/feature.tsx';
import { adminFeature } from '../admin/feature.tsx';
import { dashboardsFeature } from '../dashboards/feature.tsx';
import { flowsFeature } from '../flows/feature.tsx';
import { formsFeature } from '../forms/feature.tsx';
import { inboxFeature } from '../inbox/feature.tsx';
import { notificationsFeature } from '../notifications/feature.tsx';
import { privacyFeature } from '../privacy/feature.tsx';
import { queueFeature } from '../queue/feature.tsx';
import { webhooksFeature } from '../webhooks/feature.tsx';
import type { Feature } from './feature.ts';

export const features: Feature[] = [inboxFeature, queueFeature, formsFeature, dashboardsFeature, flowsFeature, adminFeature, accessFeature, privacyFeature, webhooksFeature, notificationsFeature];
