// Basic accessibility checks run in the page: every form control labelled, every button and link named, text contrast
// (WCAG 2 AA: 4.5:1, 3:1 for large text) against the first opaque background behind it, the document language and one h1.
// Keyboard focus visibility is checked separately (it needs real Tab presses).

export async function audit(page) {
  return page.evaluate(() => {
    const problems = [];
    const visible = (el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
    };
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
    const name = (el) => (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' ').trim()
      || (el.textContent || '').trim() || (el.getAttribute('title') || '').trim();

    if (!document.documentElement.lang) problems.push('html has no lang');
    if (document.querySelectorAll('h1').length !== 1) problems.push(`expected one h1, found ${document.querySelectorAll('h1').length}`);
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labelled = (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim())) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) problems.push(`unlabelled control ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('button, a[href], [role="button"]')) {
      if (!name(el)) problems.push(`unnamed ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('img')) if (!el.hasAttribute('alt')) problems.push(`img without alt ${el.src}`);

    const parse = (c) => {
      const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
      return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
    };
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] >= 0.99) return c;
      }
      return [255, 255, 255, 1];
    };
    const seen = new Set();
    for (const el of document.querySelectorAll('body *')) {
      if (!visible(el)) continue;
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!ownText) continue;
      const s = getComputedStyle(el);
      const fg = parse(s.color);
      if (!fg) continue;
      const bg = background(el);
      // A semi-transparent text colour is blended over its background first.
      const blended = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
      const [a, b] = [lum(blended), lum(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const need = large ? 3 : 4.5;
      const key = `${s.color}|${bg.join(',')}`;
      if (ratio < need && !seen.has(key)) {
        seen.add(key);
        problems.push(`contrast ${ratio.toFixed(2)} < ${need} for ${describe(el)} (${s.color} on rgb(${bg.slice(0, 3).join(',')}))`);
      }
    }
    return problems;
  });
}

/** Tabs through the first `presses` focusable elements; each must show a focus indicator (outline or box-shadow). */
export async function focusVisible(page, presses = 8) {
  const problems = [];
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
      return { shown, what: `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"` };
    });
    if (r && !r.shown) problems.push(`no visible focus on ${r.what}`);
  }
  return problems;
}
