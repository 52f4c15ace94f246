import { urlFromEnvironment } from './environment';

describe('urlFromEnvironment (the verify task: ECS injects the secret keys one by one)', () => {
  const env = { P_HOST: 'aurora-green.cluster-x.us-east-1.rds.amazonaws.com', P_PORT: '5432', P_USER: 'verifier', P_PASSWORD: 'p@ss/w:rd?#', P_DATABASE: 'app', P_SSLMODE: 'verify-full', P_SSLROOTCERT: '/etc/ssl/certs/rds.pem' };
  it('builds a URL with the password percent-encoded and the TLS settings', () => {
    const url = new URL(urlFromEnvironment('P', env) as string);
    expect(url.hostname).toBe('aurora-green.cluster-x.us-east-1.rds.amazonaws.com');
    expect(decodeURIComponent(url.password)).toBe('p@ss/w:rd?#');
    expect(url.pathname).toBe('/app');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('sslrootcert')).toBe('/etc/ssl/certs/rds.pem');
  });
  it('is undefined without a host, and names what is missing without showing a value', () => {
    expect(urlFromEnvironment('P', {})).toBeUndefined();
    expect(() => urlFromEnvironment('P', { ...env, P_USER: undefined, P_DATABASE: '' })).toThrow('P_HOST is set but P_USER, P_DATABASE are not');
    expect(() => urlFromEnvironment('P', { ...env, P_PORT: 'x' })).toThrow('P_PORT must be a port number, got "x"');
  });
});
