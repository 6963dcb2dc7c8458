<?php
use OcXeroConnector\ApiClient;
use OcXeroConnector\ApiException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/../../src/common/library/api_client.php';

/** The shared client against a real HTTP server (php -S with fake-api.router.php): real curl, real timeouts. */
final class ApiClientTest extends TestCase {
	private static $server;
	private static $url;
	private static $log;

	public static function setUpBeforeClass(): void {
		$sock = stream_socket_server('tcp://127.0.0.1:0');
		$port = (int)substr(strrchr(stream_socket_get_name($sock, false), ':'), 1);
		fclose($sock);
		self::$log = tempnam(sys_get_temp_dir(), 'ocx-fake-api-');
		self::$url = 'http://127.0.0.1:' . $port;
		$env = array_merge(getenv(), ['FAKE_API_LOG' => self::$log, 'PHP_CLI_SERVER_WORKERS' => '2']);
		self::$server = proc_open(['php', '-S', '127.0.0.1:' . $port, __DIR__ . '/fake-api.router.php'], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
		for ($i = 0; $i < 100; $i++) {
			$c = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.1);
			if ($c) {
				fclose($c);
				return;
			}
			usleep(50000);
		}
		throw new RuntimeException('fake API did not start');
	}

	public static function tearDownAfterClass(): void {
		// php -S with workers forks: end the workers (children of the server we started), then it.
		$pid = proc_get_status(self::$server)['pid'];
		exec('pkill -TERM -P ' . (int)$pid);
		proc_terminate(self::$server);
		proc_close(self::$server);
		@unlink(self::$log);
	}

	protected function setUp(): void {
		file_put_contents(self::$log, '');
	}

	private function requests(): array {
		return array_map(function ($l) { return json_decode($l, true); }, array_filter(explode("\n", file_get_contents(self::$log))));
	}

	private function client(string $key = 'good-key', array $options = []): ApiClient {
		return new ApiClient(self::$url . '/', $key, $options);
	}

	public function testSendsTheKeyAsBearerAndAnswersTheOrganisation(): void {
		$r = $this->client()->testConnection();
		$this->assertSame('ok', $r['health']['status']);
		$this->assertSame('Demo Company (UK)', $r['xero']['organisationName']);
		$reqs = $this->requests();
		$this->assertSame(['/health', '/api/xero/status'], array_column($reqs, 'path'));
		$this->assertSame('Bearer good-key', $reqs[1]['auth']);
	}

	public function testAPageOfOrderStatusesIsOneCallKeyedById(): void {
		$byId = $this->client()->orderStatuses([1, 2, '3', 2, 0, -4]);
		$this->assertSame([1, 2, 3], array_keys($byId));
		$reqs = $this->requests();
		$this->assertCount(1, $reqs);
		$this->assertSame(['GET', '/api/orders/status', ['ids' => '1,2,3']], [$reqs[0]['method'], $reqs[0]['path'], $reqs[0]['query']]);
		$this->assertSame('exported', ApiClient::orderLabel($byId[1])['code']);
		$this->assertSame(['code' => 'failed', 'text' => '', 'title' => 'Account 200 is archived', 'url' => null], ApiClient::orderLabel($byId[2]));
		$this->assertSame('marked', ApiClient::orderLabel($byId[3])['code']);
	}

	public function testMoreThan200IdsAreSplitIntoCallsOf200(): void {
		$byId = $this->client()->orderStatuses(range(1, 450));
		$this->assertCount(450, $byId);
		$this->assertSame([200, 200, 50], array_map(function ($r) { return count(explode(',', $r['query']['ids'])); }, $this->requests()));
	}

	public function testNoIdsMeansNoCall(): void {
		$this->assertSame([], $this->client()->orderStatuses([0, 'x']));
		$this->assertSame([], $this->requests());
	}

	public function testARefusedKeyTellsTheMerchantWhatToDo(): void {
		try {
			$this->client('wrong')->syncOrder(5);
			$this->fail('expected an ApiException');
		} catch (ApiException $e) {
			$this->assertSame(401, $e->status);
			$this->assertStringContainsString('opencart-bridge', $e->getMessage());
		}
	}

	public function testErrorMessagesComeFromTheApi(): void {
		$c = $this->client();
		foreach (['/api/forbidden' => [403, 'The API key may not do this: This key has scope opencart-bridge'], '/api/bad-request' => [400, 'orderIds must be positive; at most 500'], '/api/nope' => [404, 'Cannot GET /api/nope']] as $path => [$status, $message]) {
			try {
				$c->request('GET', $path);
				$this->fail('expected an ApiException for ' . $path);
			} catch (ApiException $e) {
				$this->assertSame($status, $e->status);
				$this->assertSame($message, $e->getMessage());
			}
		}
	}

	public function testAnAnswerThatIsNotJsonIsAnError(): void {
		$this->expectException(ApiException::class);
		$this->expectExceptionMessage('not JSON');
		$this->client()->request('GET', '/api/not-json');
	}

	public function testSyncNowStartsARunAndPostsNoBody(): void {
		$this->assertSame(['runId' => 'run-7'], $this->client()->syncOrder(7));
		$req = $this->requests()[0];
		$this->assertSame(['POST', '/api/orders/7/sync', ''], [$req['method'], $req['path'], $req['body']]);
	}

	public function testSyncNowWhileARunIsGoingQueuesTheOrder(): void {
		$r = $this->client()->syncOrder(8);
		$this->assertSame([8], $r['queued']);
		$this->assertSame(['/api/orders/8/sync', '/api/orders/sync-soon'], array_column($this->requests(), 'path'));
	}

	public function testBulkSyncIsQueuedInOneCall(): void {
		$this->assertSame([3, 4], $this->client()->syncOrders([3, 4, 3])['queued']);
		$this->assertCount(1, $this->requests());
	}

	public function testMarkSendsTheIds(): void {
		$this->assertSame(['marked' => [4, 5]], $this->client()->markOrders([4, '5']));
		$req = $this->requests()[0];
		$this->assertSame(['POST', 'application/json', ['orderIds' => [4, 5]]], [$req['method'], $req['contentType'], json_decode($req['body'], true)]);
	}

	public function testNudgeGivesUpWithinItsTimeoutAndNeverThrows(): void {
		$lines = [];
		$c = $this->client('good-key', ['logger' => function ($l) use (&$lines) { $lines[] = $l; }]);
		$t = microtime(true);
		$this->assertFalse($c->nudgeOrder(99, 800));
		$elapsed = microtime(true) - $t;
		$this->assertLessThan(1.5, $elapsed, 'the nudge waited ' . $elapsed . ' s');
		$this->assertCount(1, $lines);
		$this->assertStringContainsString('order 99 nudge not delivered', $lines[0]);
		$this->assertStringNotContainsString('good-key', $lines[0]);
	}

	public function testNudgeToAnUnreachableConnectorIsSwallowed(): void {
		$sock = stream_socket_server('tcp://127.0.0.1:0');
		$port = (int)substr(strrchr(stream_socket_get_name($sock, false), ':'), 1);
		fclose($sock);
		$lines = [];
		$c = new ApiClient('http://127.0.0.1:' . $port, 'k', ['logger' => function ($l) use (&$lines) { $lines[] = $l; }]);
		$this->assertFalse($c->nudgeOrder(1));
		$this->assertStringContainsString('could not be reached', $lines[0]);
	}

	public function testNudgeDelivered(): void {
		$this->assertTrue($this->client()->nudgeOrder(12));
		$this->assertSame(['/api/orders/sync-soon', ['orderIds' => [12]]], [$this->requests()[0]['path'], json_decode($this->requests()[0]['body'], true)]);
	}

	public function testNotConfiguredNeverCalls(): void {
		$c = new ApiClient('', '');
		$this->assertFalse($c->isConfigured());
		$this->assertFalse($c->nudgeOrder(1));
		$this->expectException(ApiException::class);
		$c->syncOrder(1);
	}

	public function testProductOverrideReadAndWrite(): void {
		$c = $this->client();
		$this->assertSame(['salesAccountCode' => '200', 'purchaseAccountCode' => null], $c->productOverride(40));
		$this->assertSame('/api/products', $this->requests()[0]['path']);
		// a product the list skips (41 → 42) has no override of its own
		$this->assertSame(['salesAccountCode' => null, 'purchaseAccountCode' => null], $c->productOverride(41));
		$saved = $c->setProductOverride(40, '', '310');
		$this->assertSame(['salesAccountCode' => null, 'purchaseAccountCode' => '310'], $saved);
		$this->assertSame(['PUT', '/api/products/40/override'], [$this->requests()[2]['method'], $this->requests()[2]['path']]);
	}

	public function testAccountsAcceptAPlainList(): void {
		$this->assertSame(['200', '310', '090'], array_column($this->client()->accounts(), 'code'));
	}

	public function testTheChartSplitsIntoSalesAndPurchasePickers(): void {
		[$sales, $purchase] = ApiClient::accountChoices($this->client()->accounts());
		$this->assertSame([['code' => '200', 'name' => '200 — Sales']], $sales);
		$this->assertSame(['310'], array_column($purchase, 'code'));
	}

	public function testBaseUrlIsNormalisedAndOnlyHttp(): void {
		$this->assertSame('https://x.example/connector', ApiClient::normaliseBaseUrl(' https://x.example/connector/ '));
		$this->assertSame('', ApiClient::normaliseBaseUrl(''));
		$this->expectException(InvalidArgumentException::class);
		ApiClient::normaliseBaseUrl('file:///etc/passwd');
	}

	public function testKeyMaskShowsAtMostTheLastFour(): void {
		$this->assertSame('', ApiClient::maskKey(''));
		$this->assertSame('••••••••', ApiClient::maskKey('short'));
		$masked = ApiClient::maskKey('ocx_abcdefghijklmnop1234');
		$this->assertSame('••••••••1234', $masked);
		$this->assertStringNotContainsString('abcd', $masked);
	}

	public function testLabels(): void {
		$this->assertSame('not_exported', ApiClient::orderLabel(null)['code']);
		$this->assertSame('not_exported', ApiClient::orderLabel(['orderId' => 1, 'sync' => ['status' => 'not synced']])['code']);
		$this->assertSame('pending', ApiClient::orderLabel(['sync' => ['status' => 'pending']])['code']);
		$this->assertSame('failed', ApiClient::orderLabel(['sync' => ['status' => 'conflict', 'error' => 'x']])['code']);
		$this->assertSame('removed', ApiClient::orderLabel(['sync' => ['status' => 'removed', 'invoiceNumber' => 'OC-9']])['code']);
		$this->assertSame(['code' => 'exported', 'text' => 'OC-9', 'title' => '', 'url' => 'https://go.xero.com/x'], ApiClient::orderLabel(['sync' => ['status' => 'done', 'invoiceNumber' => 'OC-9', 'xeroUrl' => 'https://go.xero.com/x']]));
		// the API's state wins over the ledger status
		$this->assertSame('marked', ApiClient::orderLabel(['state' => 'marked', 'marked' => true, 'sync' => ['status' => 'done', 'invoiceNumber' => 'OC-9']])['code']);
		$this->assertSame(['code' => 'failed', 'text' => '', 'title' => 'No account 200', 'url' => null], ApiClient::orderLabel(['state' => 'failed', 'sync' => ['status' => 'conflict', 'error' => 'No account 200', 'invoiceNumber' => null]]));
		$this->assertSame('not_exported', ApiClient::orderLabel(['state' => 'not-exported', 'sync' => ['status' => 'not synced']])['code']);
	}
}
