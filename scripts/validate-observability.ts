/** `npm run validate:deploy`'s check of deploy/'s dashboards and alert rules against the code's metrics. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertRules, checkObservability, dashboardQueries } from './observability-check.js';

const DEPLOY = join(dirname(fileURLToPath(import.meta.url)), '..', 'deploy');
const problems = await checkObservability(DEPLOY);
for (const problem of problems) console.error(`PROBLEM ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(
  `validate-observability: ${dashboardQueries(DEPLOY).length} panel queries and ${alertRules(DEPLOY).length} alert rules name only registered metrics`,
);
