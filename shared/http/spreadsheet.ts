/**
 * Reports as files (contract section 8): a workbook of report-tables.ts as `.xlsx` (exceljs: Chinese
 * headers, the header row frozen, column widths, number formats, one sheet per section) or its one
 * CSV table (UTF-8 with a byte-order mark, so Excel reads the Chinese right), with the Content-Type
 * and a Content-Disposition whose Chinese file name is encoded as RFC 5987/6266 say. exceljs is
 * loaded on the first spreadsheet asked for, never by a JSON request.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CellFormat, CellValue, Sheet, Workbook } from '../domain/report-tables.js';
import type { ReportFormat } from './reports-query.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Excel number formats of the cell formats. */
export const NUMBER_FORMATS: Readonly<Record<Exclude<CellFormat, 'text'>, string>> = {
  integer: '0',
  decimal: '0.00',
  percent: '0.0%',
  score: '0.00',
};

const cellOf = (value: CellValue | undefined): string | number | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value;
};

/** The workbook as an `.xlsx` file. */
export async function xlsxOf(workbook: Workbook): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  book.creator = 'landline';
  for (const sheet of workbook.sheets) {
    const worksheet = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({
      header: column.header,
      key: column.key,
      width: column.width,
    }));
    worksheet.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      const added = worksheet.addRow(
        Object.fromEntries(sheet.columns.map((column) => [column.key, cellOf(row.cells[column.key])])),
      );
      sheet.columns.forEach((column, index) => {
        const format = row.formats?.[column.key] ?? column.format;
        if (format && format !== 'text') added.getCell(index + 1).numFmt = NUMBER_FORMATS[format];
      });
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A CSV field: quoted when it must be; a text that a spreadsheet would run as a formula (starting
 * with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, since bureaus type the
 * analysis text.
 */
function csvField(value: CellValue | undefined): string {
  const cell = cellOf(value);
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The sheet as CSV: BOM, header line, CRLF line ends (RFC 4180). */
export function csvOf(sheet: Sheet): string {
  const lines = [
    sheet.columns.map((column) => csvField(column.header)),
    ...sheet.rows.map((row) => sheet.columns.map((column) => csvField(row.cells[column.key]))),
  ];
  return `\uFEFF${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

/** RFC 5987 `ext-value` characters: everything else percent-encoded as UTF-8. */
const rfc5987 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment` with an ASCII `filename` for old clients and the Chinese name as `filename*`. */
export function contentDisposition(workbook: Workbook, extension: string): string {
  const ascii = workbook.asciiName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${rfc5987(`${workbook.name}.${extension}`)}`;
}

/** The answer carrying the workbook as the asked format. */
export async function fileResponse(
  workbook: Workbook,
  format: Exclude<ReportFormat, 'json'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (format === 'csv') {
    return {
      statusCode: 200,
      headers: {
        'content-type': CSV_CONTENT_TYPE,
        'content-disposition': contentDisposition(workbook, 'csv'),
      },
      body: csvOf(workbook.csv),
    };
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': XLSX_CONTENT_TYPE,
      'content-disposition': contentDisposition(workbook, 'xlsx'),
    },
    body: (await xlsxOf(workbook)).toString('base64'),
    isBase64Encoded: true,
  };
}
