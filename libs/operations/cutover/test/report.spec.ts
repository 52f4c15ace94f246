import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parseReportUrl, putReport, reportClient } from '../src';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

describe('the data verify report in S3', () => {
  it('parses s3://bucket/key, a prefix getting report.json', () => {
    expect(parseReportUrl('s3://verify-reports-111111111111-prod/verify/shard-1.json')).toEqual({ bucket: 'verify-reports-111111111111-prod', key: 'verify/shard-1.json' });
    expect(parseReportUrl('s3://b-1/verify/')).toEqual({ bucket: 'b-1', key: 'verify/report.json' });
    expect(() => parseReportUrl('/tmp/x.json')).toThrow('--report-url must be s3://bucket/key, got "/tmp/x.json"');
  });
  it('puts the JSON with one PutObject and names the object when it fails', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await putReport('s3://b-1/verify/r.json', '{"identical":true}', { s3: reportClient('us-east-1') })).toBe('s3://b-1/verify/r.json');
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({ Bucket: 'b-1', Key: 'verify/r.json', Body: '{"identical":true}', ContentType: 'application/json' });
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await expect(putReport('s3://b-1/verify/r.json', '{}', { s3: reportClient('us-east-1') })).rejects.toThrow('could not write the report to s3://b-1/verify/r.json: AccessDenied');
  });
});
