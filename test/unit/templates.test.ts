/** The handlebars environment of message and print templates, and the shipped template files. */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/errors.ts';
import { compileOrThrow, renderTemplate } from '../../engine/notifications/handlebars.ts';
import { parseMessageTemplate } from '../../engine/notifications/templates.ts';
import { parsePrintTemplate } from '../../engine/printing/print.ts';
import { templatesDir } from '../../templates/app.ts';

const form = {
  schema: { properties: { severity: { type: 'string', enum: ['low', 'high'] } } },
  uiSchema: { severity: { 'ui:enumNames': { 'zh-CN': ['低', '高'], en: ['Low', 'High'] } } },
};
let n = 0;
const render = (source: string, data: Record<string, unknown>, noEscape = false) => renderTemplate(`test:${n++}`, source, data, { noEscape, form });

function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('message/print template rendering', () => {
  it('HTML-escapes values unless the channel is plain text', () => {
    expect(render('<p>{{text}}</p>', { text: '<script>alert(1)</script>' })).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(render('{{text}}', { text: '<b>' }, true)).toBe('<b>');
  });

  it('has date, money, eq and label helpers', () => {
    expect(render('{{money 1234567.5}}', {})).toBe('¥1,234,567.50');
    expect(render('{{#if (eq a "x")}}yes{{else}}no{{/if}}', { a: 'x' })).toBe('yes');
    expect(render('{{label "severity" s}}', { s: 'high' })).toBe('高');
    expect(render('{{label "severity" s locale="en"}}', { s: 'high' })).toBe('High');
    expect(render('{{label "severity" s}}', { s: 'unknown' })).toBe('unknown');
    expect(render('{{date d}}', { d: '2026-03-05' })).toBe('2026年3月5日');
    expect(render('{{date d locale="en"}}', { d: '2026-03-05' })).toBe('Mar 5, 2026');
    // 08:00 UTC is 16:00 in Beijing.
    expect(render('{{date d}}', { d: '2026-03-05T08:00:00Z' })).toContain('16:00');
  });

  it('refuses a template that does not compile, naming the line', () => {
    const error = rejection(() => compileOrThrow('line one\n{{#if x}}\nno end', '/body', { refuseTripleStash: false }));
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.pointer).toBe('/body');
    expect(error.message).toMatch(/does not compile/);
    const unclosed = rejection(() => compileOrThrow('a\nb {{foo', '/body', { refuseTripleStash: false }));
    expect(unclosed.details?.[0]?.line).toBe(2);
  });

  it('refuses unescaped output for in-app and print templates only', () => {
    expect(() => parseMessageTemplate('x', { channel: 'inApp', body: '{{{html}}}' })).toThrow(/Unescaped/);
    expect(() => parsePrintTemplate('x', { formKey: 'f', title: 't', body: '{{&html}}' })).toThrow(/Unescaped/);
    expect(parseMessageTemplate('x', { channel: 'email', body: '{{{text}}}' }).channel).toBe('email');
    expect(() => parseMessageTemplate('x', { channel: 'fax', body: 'hi' })).toThrow(/channel/);
  });

  it('ships key-account notification and print templates that compile', () => {
    for (const kind of ['notifications', 'print']) {
      const dir = path.join(templatesDir, 'key-account', kind);
      const entries = JSON.parse(readFileSync(path.join(dir, 'templates.json'), 'utf8')) as Array<Record<string, string>>;
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        const body = readFileSync(path.join(dir, entry.file!), 'utf8');
        if (kind === 'print') parsePrintTemplate(entry.key!, { ...entry, body });
        else parseMessageTemplate(entry.key!, { ...entry, body });
      }
    }
  });
});
