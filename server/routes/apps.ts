/**
 * `GET /api/apps` (admins): the installed template apps (templates/<app>/app.json) and the apps
 * imported from packages (engine/packages/, their last installed package) with what each
 * brought and what became of it — forms (version, records, routing), the processes bound
 * to them, message and print templates. An app counts as installed when at least one of its
 * forms exists; with LIUZHUAN_LOAD_TEMPLATES=false and no import the list is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { readTemplateApp, templatesDir, type TemplateApp } from '../../templates/app.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

/** Template apps are folders with an app.json; read once, they only change with a deploy. */
let catalog: TemplateApp[] | undefined;
function templateApps(): TemplateApp[] {
  catalog ??= readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(templatesDir, entry.name, 'app.json')))
    .map((entry) => readTemplateApp(entry.name));
  return catalog;
}

/** Template keys an app ships in `<app>/<folder>/templates.json`. */
function shippedTemplateKeys(appKey: string, folder: 'notifications' | 'print'): string[] {
  const file = path.join(templatesDir, appKey, folder, 'templates.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { key: string }[]).map((entry) => entry.key);
}

export function appRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/apps', async (req, res) => {
    requireAdmin(req);
    const [messages, prints] = await Promise.all([ctx.engine.listMessageTemplates(), ctx.engine.listPrintTemplates()]);
    const apps = [];
    const templates = templateApps();
    // A template's own manifest wins; an app only imported is described by its package.
    const imported = (await ctx.engine.packages.installedPackages())
      .filter((pkg) => !templates.some((template) => template.key === pkg.app.key))
      .map((pkg) => ({
        app: {
          key: pkg.app.key,
          name: pkg.app.name,
          description: pkg.app.description,
          forms: pkg.forms.map((form) => ({ key: form.key, title: form.titleI18n ?? { 'zh-CN': form.title, en: form.title }, schema: form.schema, uiSchema: form.uiSchema })),
          workflows: pkg.workflows.map((workflow) => workflow.processId),
        } satisfies TemplateApp,
        messageKeys: pkg.messageTemplates.map((template) => template.key),
        printKeys: pkg.printTemplates.map((template) => template.key),
      }));
    const sources = [
      ...templates.map((app) => ({ app, messageKeys: shippedTemplateKeys(app.key, 'notifications'), printKeys: shippedTemplateKeys(app.key, 'print') })),
      ...imported,
    ];
    for (const source of sources) {
      const { app } = source;
      const formKeys = app.forms.map((form) => form.key);
      const facts = new Map((await ctx.engine.appFormFacts(formKeys)).map((form) => [form.key, form]));
      if (facts.size === 0) continue;
      const definitions = await ctx.engine.appDefinitions(formKeys);
      const messageKeys = new Set(source.messageKeys);
      const printKeys = new Set(source.printKeys);
      apps.push({
        key: app.key,
        title: app.name,
        description: app.description ?? null,
        forms: app.forms.flatMap((form) => {
          const fact = facts.get(form.key);
          if (!fact) return [];
          const bound = definitions.find((d) => d.formKey === form.key);
          return [{ ...fact, title: form.title, storedTitle: fact.title, definitionKey: bound?.key ?? null }];
        }),
        definitions,
        messageTemplates: messages
          .filter((t) => messageKeys.has(t.key))
          .map(({ key, channel, subject, updatedAt }) => ({ key, channel, subject, updatedAt })),
        // The app's own print templates, and any an admin added since for its forms.
        printTemplates: prints
          .filter((t) => printKeys.has(t.key) || facts.has(t.formKey))
          .map(({ key, formKey, title, updatedAt }) => ({ key, formKey, title, updatedAt })),
        tiering: ctx.engine.hasTiering(app.key),
      });
    }
    res.json(apps);
  });

  return router;
}
