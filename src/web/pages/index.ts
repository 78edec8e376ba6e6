/** Page components by route. */
import type { FunctionComponent } from 'preact';
import type { Page } from '../app/router.js';
import { ActionsPage } from './actions.js';
import { AdminPage } from './admin.js';
import { ChangePage } from './change.js';
import { ExplorerPage } from './explorer.js';
import { ServicesPage } from './generic.js';
import { ImportsPage } from './imports.js';
import { KpisPage } from './kpis.js';
import { OverviewPage } from './overview.js';
import { QualityPage } from './quality.js';
import { ReferentialPage } from './referential.js';
import { ReportPage } from './report.js';
import { ScenariosPage } from './scenarios.js';
import { TrajectoryPage } from './trajectory.js';

export const PAGE_COMPONENTS: Readonly<Record<Page, FunctionComponent>> = {
  overview: OverviewPage,
  trajectory: TrajectoryPage,
  change: ChangePage,
  scenarios: ScenariosPage,
  actions: ActionsPage,
  explorer: ExplorerPage,
  quality: QualityPage,
  kpis: KpisPage,
  services: ServicesPage,
  referential: ReferentialPage,
  imports: ImportsPage,
  admin: AdminPage,
  report: ReportPage,
};
