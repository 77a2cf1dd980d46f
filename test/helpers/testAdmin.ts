/** The admin password of every test server's first start (kept apart: the template install script imports it outside vitest). */
export const TEST_ADMIN_PASSWORD = 'admin-test-password';
