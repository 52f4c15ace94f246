/**
 * Where `bluegreen data verify --report-url` puts its JSON result: an S3 object (the verify task's report bucket).
 * One PutObject with a connect and request deadline and a bounded retry budget.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface ReportTarget {
  readonly bucket: string;
  readonly key: string;
}

/** Parses `s3://bucket/key`; a key ending in `/` gets `report.json`. */
export function parseReportUrl(url: string): ReportTarget {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(url);
  if (!m) throw new Error(`--report-url must be s3://bucket/key, got ${JSON.stringify(url)}`);
  return { bucket: m[1], key: m[2].endsWith('/') ? `${m[2]}report.json` : m[2] };
}

export interface ReportPorts {
  readonly s3: S3Client;
}

export function reportClient(region: string | undefined, timeouts: { connectTimeoutMs?: number; requestTimeoutMs?: number; maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    ...(region ? { region } : {}),
    maxAttempts: timeouts.maxAttempts ?? 3,
    // throwOnRequestTimeout: without it this SDK only logs a warning when an attempt's request timeout passes.
    requestHandler: {
      connectionTimeout: timeouts.connectTimeoutMs ?? 3_000,
      requestTimeout: timeouts.requestTimeoutMs ?? 30_000,
      socketTimeout: timeouts.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
    },
  });
}

/** Writes the report (JSON text) to the S3 object; rejects with a message naming the object. */
export async function putReport(url: string, body: string, ports: ReportPorts): Promise<string> {
  const t = parseReportUrl(url);
  try {
    await ports.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: t.key, Body: body, ContentType: 'application/json' }));
  } catch (err) {
    throw new Error(`could not write the report to s3://${t.bucket}/${t.key}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return `s3://${t.bucket}/${t.key}`;
}
