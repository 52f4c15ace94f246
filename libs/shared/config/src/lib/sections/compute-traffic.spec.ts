// Bad compute / load balancer / traffic / monitoring settings are refused by field, every problem at once.
import { scalingBounds, validateEnvironmentConfig } from '../../index';
import { problemsAfter, shippedConfig, type ConfigInput } from '../../../test/fixtures';

const prodInput = () => shippedConfig('prod');
/** Validates a mutated copy of the prod config and returns its problems as `field: message` lines. */
const problems = (mutate: (c: ConfigInput) => void) => problemsAfter(mutate, 'prod');

describe('compute, load balancer and traffic settings', () => {
  it('accepts every environment file as it is', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const input = shippedConfig(env);
      expect(() => validateEnvironmentConfig(input, env)).not.toThrow();
    }
  });

  it('refuses weights that do not sum to 100 (60/30)', () => {
    const p = problems((c) => Object.assign(c.services.monolith.traffic, { blue: 60, green: 30 }));
    expect(p).toEqual([expect.stringMatching(/^services\.monolith\.traffic: blue \+ green weights must sum to 100, got 60 \+ 30 = 90$/)]);
  });

  it('refuses a weight outside 0-100 by field', () => {
    expect(problems((c) => Object.assign(c.services.monolith.traffic, { blue: -40, green: 140 }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^services\.monolith\.traffic\.green: must be 0-100, got 140$/), expect.stringMatching(/^services\.monolith\.traffic\.blue: must be 0-100, got -40$/)]),
    );
  });

  it('refuses weight on a colour with no tasks', () => {
    const p = problems((c) => {
      Object.assign(c.services.monolith.traffic, { blue: 90, green: 10 });
      Object.assign(c.services.monolith.green, { desiredCount: 0, minCount: 0, maxCount: 0 });
    });
    expect(p).toEqual([expect.stringMatching(/^services\.monolith\.traffic\.green: colour green has weight 10 but services\.monolith\.green\.desiredCount is 0/)]);
  });

  it('refuses a live colour with no tasks', () => {
    const p = problems((c) => {
      Object.assign(c.services.monolith.traffic, { live: 'green', blue: 100, green: 0 });
      Object.assign(c.services.monolith.green, { desiredCount: 0, minCount: 0, maxCount: 0 });
    });
    expect(p).toEqual([expect.stringMatching(/^services\.monolith\.traffic\.live: the live colour green has services\.monolith\.green\.desiredCount 0/)]);
  });

  it('refuses a missing certificate, and a certificate that is neither an ARN nor a domain + zone', () => {
    expect(problems((c) => delete c.loadBalancer.certificate)).toEqual([expect.stringMatching(/^loadBalancer\.certificate: is required/)]);
    expect(problems((c) => (c.loadBalancer.certificate = { domainName: 'app.example.com' }))).toEqual([
      expect.stringMatching(/^loadBalancer\.certificate\.hostedZoneId: is required with domainName/),
    ]);
    expect(problems((c) => (c.loadBalancer.certificate = {}))).toEqual([
      expect.stringMatching(/^loadBalancer\.certificate\.domainName: is required when no certificate arn is given/),
      expect.stringMatching(/^loadBalancer\.certificate\.hostedZoneId: is required/),
    ]);
    expect(problems((c) => (c.loadBalancer.certificate.domainName = 'app.example.com'))).toEqual([
      expect.stringMatching(/^loadBalancer\.certificate\.arn: must be given alone/),
    ]);
    expect(problems((c) => (c.loadBalancer.certificate = { domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC' }))).toEqual([]);
  });

  it('refuses a certificate ARN that is not ACM in the region', () => {
    const p = problems((c) => (c.loadBalancer.certificate = { arn: 'arn:aws:acm:eu-west-1:333333333333:certificate/abc-123' }));
    expect(p).toEqual([expect.stringMatching(/^loadBalancer\.certificate\.arn: must be an ACM certificate in us-east-1/)]);
  });

  it('refuses an image without a tag, and the mutable tag latest', () => {
    expect(problems((c) => (c.services.monolith.blue.image = '333333333333.dkr.ecr.us-east-1.amazonaws.com/app'))).toEqual([
      expect.stringMatching(/^services\.monolith\.blue\.image: must name an explicit tag or digest .*, got "333333333333\.dkr\.ecr\.us-east-1\.amazonaws\.com\/app"$/),
    ]);
    // A registry port is not a tag.
    expect(problems((c) => (c.services.monolith.blue.image = 'registry.example.com:5000/app'))).toEqual([expect.stringMatching(/^services\.monolith\.blue\.image: must name an explicit tag/)]);
    expect(problems((c) => (c.services.monolith.blue.image = 'registry.example.com:5000/app:1.2.3'))).toEqual([]);
    expect(problems((c) => (c.services.monolith.green.image = 'public.ecr.aws/nginx/nginx:latest'))).toEqual([
      expect.stringMatching(/^services\.monolith\.green\.image: must not use the mutable tag 'latest', got "public\.ecr\.aws\/nginx\/nginx:latest"$/),
    ]);
  });

  it('accepts an image pinned by digest', () => {
    expect(problems((c) => (c.services.monolith.green.image = `public.ecr.aws/nginx/nginx@sha256:${'a'.repeat(64)}`))).toEqual([]);
  });

  it('refuses a cpu/memory pair Fargate does not offer', () => {
    expect(problems((c) => Object.assign(c.services.monolith.blue, { cpu: 256, memory: 4096 }))).toEqual([
      expect.stringMatching(/^services\.monolith\.blue\.memory: must be a Fargate memory size for cpu 256 \(512, 1024, 2048 MiB\), got 4096$/),
    ]);
    expect(problems((c) => (c.services.monolith.blue.cpu = 300))).toEqual([expect.stringMatching(/^services\.monolith\.blue\.cpu: /)]);
  });

  it('refuses a health-check timeout that is not below the interval', () => {
    expect(problems((c) => (c.services.monolith.healthCheck = { intervalSeconds: 10, timeoutSeconds: 10 }))).toEqual([
      expect.stringMatching(/^services\.monolith\.healthCheck\.timeoutSeconds: must be less than intervalSeconds \(10\), got 10$/),
    ]);
  });

  it('refuses autoscaling bounds that do not hold the desired count', () => {
    expect(problems((c) => Object.assign(c.services.monolith.blue, { desiredCount: 3, minCount: 4, maxCount: 12 }))).toEqual([
      expect.stringMatching(/^services\.monolith\.blue\.desiredCount: must be within minCount\.\.maxCount \(4\.\.12\), got 3$/),
    ]);
    expect(problems((c) => Object.assign(c.services.monolith.blue, { minCount: 5, maxCount: 4, desiredCount: 4 }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^services\.monolith\.blue\.minCount: must not exceed maxCount 4, got 5$/)]),
    );
  });

  it('keeps a parked colour parked: maxCount must be 0 while desiredCount is 0', () => {
    expect(problems((c) => Object.assign(c.services.monolith.green, { desiredCount: 0, minCount: 0, maxCount: 4 }))).toEqual([
      expect.stringMatching(/^services\.monolith\.green\.maxCount: must be 0 while desiredCount is 0 .*, got 4$/),
    ]);
    expect(scalingBounds({ desiredCount: 0 })).toEqual({ min: 0, max: 0 });
    expect(scalingBounds({ desiredCount: 3 })).toEqual({ min: 3, max: 9 });
    expect(scalingBounds({ desiredCount: 1 })).toEqual({ min: 1, max: 3 });
  });

  it('refuses a colour assigned to a green database that is not enabled', () => {
    expect(problems((c) => (c.services.monolith.green.database = 'green'))).toEqual([
      expect.stringMatching(/^services\.monolith\.green\.database: is 'green' but database\.green\.enabled is false/),
    ]);
  });

  it('refuses reserved and secret-looking environment variables', () => {
    const p = problems((c) => (c.services.monolith.blue.environment = { DB_PASSWORD: 'x', STRIPE_API_KEY: 'sk_live', LOG_LEVEL: 'info' }));
    expect(p).toEqual([
      expect.stringMatching(/^services\.monolith\.blue\.environment\.DB_PASSWORD: is set by the stack/),
      expect.stringMatching(/^services\.monolith\.blue\.environment\.STRIPE_API_KEY: looks like a secret/),
    ]);
    expect(p.join('\n')).not.toContain('sk_live');
  });

  it('refuses a test listener on a production port or open to the internet', () => {
    expect(problems((c) => (c.loadBalancer.testListenerPort = 443))).toEqual([expect.stringMatching(/^loadBalancer\.testListenerPort: must differ from the production listeners/)]);
    expect(problems((c) => (c.loadBalancer.testListenerCidrs = ['0.0.0.0/0']))).toEqual([
      expect.stringMatching(/^loadBalancer\.testListenerCidrs\.0: must not open the test listener to the whole internet, got 0\.0\.0\.0\/0$/),
    ]);
  });

  it('refuses a bad health-check matcher and path, and an unknown TLS policy', () => {
    const p = problems((c) => {
      c.services.monolith.healthCheck = { path: 'health', matcher: 'ok' };
      c.loadBalancer.sslPolicy = 'ELBSecurityPolicy-2016-08';
    });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\.monolith\.healthCheck\.path: must be an absolute URL path, got "health"$/),
        expect.stringMatching(/^services\.monolith\.healthCheck\.matcher: must be HTTP codes/),
        expect.stringMatching(/^loadBalancer\.sslPolicy: must be one of .*ELBSecurityPolicy-TLS13-1-2-2021-06/),
      ]),
    );
    expect(p).toHaveLength(3);
  });

  it('refuses bad monitoring thresholds and e-mails by field', () => {
    const p = problems((c) => {
      c.monitoring.alarmEmails = ['not-an-email'];
      c.monitoring.thresholds = { http5xxRatePercent: 0, p95LatencySeconds: 120 };
    });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^monitoring\.alarmEmails\.0: /),
        expect.stringMatching(/^monitoring\.thresholds\.http5xxRatePercent: must be at least 0\.01, got 0$/),
        expect.stringMatching(/^monitoring\.thresholds\.p95LatencySeconds: must be at most 60, got 120$/),
      ]),
    );
  });

  it('fills the documented thresholds as defaults (5xx > 1 %, p95 > 2 s)', () => {
    const input = prodInput();
    delete input.monitoring;
    const c = validateEnvironmentConfig(input);
    expect(c.monitoring.thresholds.http5xxRatePercent).toBe(1);
    expect(c.monitoring.thresholds.p95LatencySeconds).toBe(2);
  });

  it('reports several problems at once', () => {
    const p = problems((c) => {
      Object.assign(c.services.monolith.traffic, { blue: 60, green: 30 });
      c.services.monolith.blue.image = 'app:latest';
      c.services.monolith.healthCheck = { intervalSeconds: 5, timeoutSeconds: 6 };
    });
    expect(p.length).toBeGreaterThanOrEqual(3);
  });
});
