import { docker, run, waitFor } from './docker';

export interface ContainerOptions {
  image: string;
  name: string;
  port: number;
  env: Record<string, string>;
  volumes: { data: string; secrets: string };
  /** Docker's health probe every second instead of every 30 s: the image's own command, sooner. */
  fastHealthChecks?: boolean;
}

/**
 * One BusyBridge container as an operator runs it: host network (the emulator and the test reach it on
 * 127.0.0.1), read-only root file system with a tmpfs on /tmp, /data and /secrets bind-mounted.
 */
export class Container {
  constructor(readonly options: ContainerOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    const { image, name, port, env, volumes } = this.options;
    const envArgs = Object.entries({ PORT: String(port), ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const health = this.options.fastHealthChecks ? ['--health-interval', '1s', '--health-start-period', '120s'] : [];
    await docker(
      'run',
      '-d',
      '--name',
      name,
      '--network',
      'host',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '-v',
      `${volumes.data}:/data`,
      '-v',
      `${volumes.secrets}:/secrets`,
      ...health,
      ...envArgs,
      image,
    );
  }

  /** Starts the stopped container again: the same volumes, the same environment. */
  async restart(): Promise<void> {
    await docker('start', this.options.name);
  }

  async inspect(format: string): Promise<string> {
    return docker('inspect', '--format', format, this.options.name);
  }

  /** Waits until GET /health answers 200 and returns its body. */
  async healthy(timeoutMs: number): Promise<{ status: string; database: string; version: string }> {
    return waitFor(
      'GET /health',
      async () => {
        if ((await this.inspect('{{.State.Status}}')) !== 'running')
          throw new Error(`container stopped:\n${await this.logs()}`);
        const res = await fetch(`${this.url}/health`).catch(() => undefined);
        return res?.status === 200 ? res.json() : undefined;
      },
      timeoutMs,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await this.logs()}`);
    });
  }

  /** Waits for Docker's own HEALTHCHECK to call the container healthy. */
  async dockerHealthy(timeoutMs: number): Promise<string> {
    return waitFor(
      'the Docker health check',
      async () => {
        const status = await this.inspect('{{.State.Health.Status}}');
        return status === 'healthy' ? status : undefined;
      },
      timeoutMs,
    );
  }

  /** `docker exec` as the image's user; returns exit code and output. */
  exec(...command: string[]): ReturnType<typeof run> {
    return run('docker', ['exec', this.options.name, ...command]);
  }

  async logs(): Promise<string> {
    const res = await run('docker', ['logs', '--tail', '60', this.options.name]);
    return `${res.stdout}${res.stderr}`;
  }

  /** `docker stop` with Docker's default 10 s grace; returns the seconds it took and the exit code. */
  async stop(): Promise<{ seconds: number; exitCode: number }> {
    const started = Date.now();
    await docker('stop', '--time', '10', this.options.name);
    const seconds = (Date.now() - started) / 1000;
    return { seconds, exitCode: Number(await this.inspect('{{.State.ExitCode}}')) };
  }

  async remove(): Promise<void> {
    await run('docker', ['rm', '-f', this.options.name]);
  }
}
