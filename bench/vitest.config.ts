import { packageProject } from '../vitest.shared.ts';

export default packageProject('bench', {
  include: ['lib/**/*.test.ts', 'core/**/*.test.ts', 'promql/**/*.test.ts', 'test/**/*.test.ts'],
});
