/** Inline SVG charts for the HTML report: no script, no external resource. */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A vertical bar chart of labelled values. */
export function barChart(
  title: string,
  bars: readonly { label: string; value: number }[],
  options: { width?: number; height?: number; fill?: string } = {},
): string {
  const fill = escapeXml(options.fill ?? '#3572b0');
  const width = options.width ?? 520;
  const height = options.height ?? 180;
  const top = 24;
  const bottom = 28;
  const left = 48;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - left - 8) / Math.max(bars.length, 1);
  const plot = height - top - bottom;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<text x="${left}" y="15" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" stroke="#444"/>`,
    `<text x="${left - 4}" y="${top + 10}" font-size="10" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${top + plot}" font-size="10" text-anchor="end">0</text>`,
  ];
  bars.forEach((bar, i) => {
    const h = (bar.value / max) * plot;
    const x = left + i * slot + slot * 0.1;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${(top + plot - h).toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" ` +
        `height="${h.toFixed(1)}" fill="${fill}"><title>${escapeXml(`${bar.label}: ${bar.value}`)}</title></rect>`,
    );
    if (bars.length <= 40 || i % Math.ceil(bars.length / 40) === 0) {
      parts.push(
        `<text x="${(x + slot * 0.4).toFixed(1)}" y="${height - 12}" font-size="9" text-anchor="middle">${escapeXml(bar.label)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A heat map of symbol frequency per position: rows are symbols, columns positions; colour shows the deviation
 * from the uniform expectation (white = as expected, red = over, blue = under).
 */
export function positionHeatMap(
  title: string,
  counts: Readonly<Record<string, number[]>>,
  rows: number,
): string {
  const symbols = Object.keys(counts);
  const positions = counts[symbols[0] ?? '']?.length ?? 0;
  const cell = 16;
  const left = 60;
  const top = 40;
  const width = Math.max(left + positions * cell + 10, Math.ceil(title.length * 7.5) + 10); // room for the title
  const height = top + symbols.length * cell + 10;
  const expected = rows / Math.max(symbols.length, 1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<text x="4" y="15" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let p = 0; p < positions; p++) {
    parts.push(
      `<text x="${left + p * cell + cell / 2}" y="${top - 4}" font-size="8" text-anchor="middle">${p + 1}</text>`,
    );
  }
  symbols.forEach((symbol, r) => {
    parts.push(
      `<text x="${left - 4}" y="${top + r * cell + cell - 2}" font-size="9" text-anchor="end" font-family="monospace">${escapeXml(symbol)}</text>`,
    );
    (counts[symbol] ?? []).forEach((count, p) => {
      const ratio = expected > 0 ? count / expected : 1;
      const shade = Math.min(1, Math.abs(Math.log2(Math.max(ratio, 1e-3))) / 2);
      const level = Math.round(255 * (1 - shade));
      const fill = ratio >= 1 ? `rgb(255,${level},${level})` : `rgb(${level},${level},255)`;
      parts.push(
        `<rect x="${left + p * cell}" y="${top + r * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}">` +
          `<title>${escapeXml(`'${symbol}' at position ${p + 1}: ${count} (uniform: ${expected.toFixed(1)})`)}</title></rect>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
