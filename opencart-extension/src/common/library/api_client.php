<?php
/*
 * The one HTTP client from OpenCart to the connector's API, copied unchanged into the OpenCart 3
 * and OpenCart 4 packages by the build. It holds the only logic of the extension: how a call is
 * made (server to server, with the key), how its failures are reported, and how the API's sync
 * state is turned into the label the order list shows. No OpenCart class is used here, so it can be
 * unit tested on its own.
 */
namespace OcXeroConnector;

class ApiException extends \RuntimeException {
	/** @var int HTTP status, 0 when the API could not be reached at all */
	public $status;
	/** @var array|null decoded JSON body of the answer */
	public $body;

	public function __construct(string $message, int $status = 0, ?array $body = null) {
		parent::__construct($message, $status);
		$this->status = $status;
		$this->body = $body;
	}
}

class ApiClient {
	const VERSION = '1.0.0';

	/** @var string */
	private $baseUrl;
	/** @var string */
	private $apiKey;
	/** @var int */
	private $timeoutMs;
	/** @var int */
	private $connectTimeoutMs;
	/** @var callable|null */
	private $logger;

	/**
	 * @param array $options timeout_ms (default 8000), connect_timeout_ms (default 2000), logger (callable(string))
	 */
	public function __construct(string $baseUrl, string $apiKey, array $options = []) {
		$this->baseUrl = self::normaliseBaseUrl($baseUrl);
		$this->apiKey = trim($apiKey);
		$this->timeoutMs = isset($options['timeout_ms']) ? (int)$options['timeout_ms'] : 8000;
		$this->connectTimeoutMs = isset($options['connect_timeout_ms']) ? (int)$options['connect_timeout_ms'] : 2000;
		$this->logger = isset($options['logger']) && is_callable($options['logger']) ? $options['logger'] : null;
	}

	/** "https://x.example/ " → "https://x.example"; anything but http(s) is refused, so a typo never becomes a file:// read. */
	public static function normaliseBaseUrl(string $url): string {
		$url = rtrim(trim($url), '/');
		if ($url === '') {
			return '';
		}
		if (!preg_match('#^https?://[^\s/?\#]+(/[^\s?\#]*)?$#i', $url)) {
			throw new \InvalidArgumentException('The connector URL must start with http:// or https://');
		}
		return $url;
	}

	/** What the settings page shows instead of the key: never more than its last four characters. */
	public static function maskKey(string $key): string {
		$key = trim($key);
		if ($key === '') {
			return '';
		}
		$tail = strlen($key) > 12 ? substr($key, -4) : '';
		return str_repeat('•', 8) . $tail;
	}

	public function isConfigured(): bool {
		return $this->baseUrl !== '' && $this->apiKey !== '';
	}

	/** The service is up (public) and the key is accepted, with the Xero connection's state. */
	public function testConnection(): array {
		$health = $this->request('GET', '/health');
		$status = $this->request('GET', '/api/xero/status');
		return ['health' => $health, 'xero' => $status];
	}

	/** Sync state of a page of orders in ONE call (GET /api/orders/status?ids=…, 200 ids a call), keyed by order id. */
	public function orderStatuses(array $orderIds): array {
		$byId = [];
		foreach (array_chunk(self::ids($orderIds), 200) as $chunk) {
			$answer = $this->request('GET', '/api/orders/status?ids=' . implode(',', $chunk));
			foreach ((isset($answer['items']) && is_array($answer['items']) ? $answer['items'] : []) as $item) {
				if (isset($item['orderId'])) {
					$byId[(int)$item['orderId']] = $item;
				}
			}
		}
		return $byId;
	}

	/** What Xero holds for the order: the invoice (status, total posted vs OpenCart, paid, due), payments, credit notes. */
	public function orderXero(int $orderId): array {
		return $this->request('GET', '/api/orders/' . $orderId . '/xero');
	}

	public function orderStatus(int $orderId): ?array {
		$all = $this->orderStatuses([$orderId]);
		return $all[$orderId] ?? null;
	}

	/**
	 * "Sync now" of one order: a run of just this order at once (202 with its run id); when a run
	 * is already going (409) the order is queued for the next one instead of refused.
	 */
	public function syncOrder(int $orderId): array {
		try {
			return $this->request('POST', '/api/orders/' . $orderId . '/sync');
		} catch (ApiException $e) {
			if ($e->status !== 409) {
				throw $e;
			}
			return $this->syncSoon([$orderId]);
		}
	}

	/** "Sync soon": queued and answered at once (202); the API coalesces bursts into one run. */
	public function syncSoon(array $orderIds): array {
		return $this->request('POST', '/api/orders/sync-soon', ['orderIds' => self::ids($orderIds)]);
	}

	public function syncOrders(array $orderIds): array {
		return $this->syncSoon($orderIds);
	}

	public function previewOrder(int $orderId): array {
		return $this->request('GET', '/api/orders/' . $orderId . '/preview');
	}

	public function markOrders(array $orderIds): array {
		return $this->request('POST', '/api/orders/mark', ['orderIds' => self::ids($orderIds)]);
	}

	public function unmarkOrders(array $orderIds): array {
		return $this->request('POST', '/api/orders/unmark', ['orderIds' => self::ids($orderIds)]);
	}

	/** The organisation's chart of accounts, for the product tab's pickers. */
	public function accounts(): array {
		$answer = $this->request('GET', '/api/xero/accounts');
		return isset($answer['items']) && is_array($answer['items']) ? $answer['items'] : (array_is_list_compat($answer) ? $answer : []);
	}

	/** This product's override, read from the product list from just before its id (the API has no per-product read). */
	public function productOverride(int $productId): array {
		$answer = $this->request('GET', '/api/products?afterId=' . max(0, $productId - 1) . '&limit=1');
		$item = $answer['items'][0] ?? null;
		$override = ($item && (int)$item['productId'] === $productId && isset($item['override'])) ? $item['override'] : [];
		return [
			'salesAccountCode' => $override['salesAccountCode'] ?? null,
			'purchaseAccountCode' => $override['purchaseAccountCode'] ?? null,
		];
	}

	public function setProductOverride(int $productId, ?string $sales, ?string $purchase): array {
		return $this->request('PUT', '/api/products/' . $productId . '/override', [
			'salesAccountCode' => ($sales === null || $sales === '') ? null : $sales,
			'purchaseAccountCode' => ($purchase === null || $purchase === '') ? null : $purchase,
		]);
	}

	/**
	 * The checkout's nudge: tell the API an order changed, waiting at most $timeoutMs in all.
	 * Never throws: a checkout must not fail or wait because of the connector; a lost nudge is
	 * caught by the API's scheduler. Returns whether the API took it.
	 */
	public function nudgeOrder(int $orderId, int $timeoutMs = 1500): bool {
		if (!$this->isConfigured() || $orderId <= 0) {
			return false;
		}
		try {
			$this->request('POST', '/api/orders/sync-soon', ['orderIds' => [$orderId]], $timeoutMs, min($timeoutMs, 1000));
			return true;
		} catch (\Throwable $e) {
			$this->log('order ' . $orderId . ' nudge not delivered: ' . $e->getMessage());
			return false;
		}
	}

	/**
	 * One call. Answers the decoded JSON (an empty array for an empty body); throws ApiException
	 * with a message a merchant can act on for anything else.
	 */
	public function request(string $method, string $path, ?array $body = null, ?int $timeoutMs = null, ?int $connectTimeoutMs = null): array {
		if (!$this->isConfigured()) {
			throw new ApiException('The Xero connector is not configured: enter its URL and API key in the module settings.');
		}
		$headers = [
			'Accept: application/json',
			'Authorization: Bearer ' . $this->apiKey,
			'User-Agent: oc-xero-connector-opencart/' . self::VERSION,
		];
		$payload = null;
		if ($body !== null) {
			$payload = json_encode($body);
			$headers[] = 'Content-Type: application/json';
		} elseif ($method !== 'GET' && $method !== 'DELETE') {
			$payload = '';
			$headers[] = 'Content-Length: 0';
		}

		$ch = curl_init($this->baseUrl . $path);
		curl_setopt_array($ch, [
			CURLOPT_CUSTOMREQUEST => $method,
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_HTTPHEADER => $headers,
			CURLOPT_TIMEOUT_MS => $timeoutMs ?? $this->timeoutMs,
			CURLOPT_CONNECTTIMEOUT_MS => $connectTimeoutMs ?? $this->connectTimeoutMs,
			CURLOPT_NOSIGNAL => true,
			CURLOPT_FOLLOWLOCATION => false,
			CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
		]);
		if ($payload !== null) {
			curl_setopt($ch, CURLOPT_POSTFIELDS, $payload);
		}
		$raw = curl_exec($ch);
		$errno = curl_errno($ch);
		$error = curl_error($ch);
		$status = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
		curl_close($ch);

		if ($raw === false || $errno) {
			$what = $errno === CURLE_OPERATION_TIMEDOUT ? 'did not answer in time' : 'could not be reached (' . $error . ')';
			throw new ApiException('The Xero connector at ' . $this->baseUrl . ' ' . $what . '.');
		}
		$decoded = $raw === '' ? [] : json_decode($raw, true);
		if ($raw !== '' && !is_array($decoded)) {
			$decoded = null;
		}
		if ($status >= 200 && $status < 300) {
			if ($decoded === null) {
				throw new ApiException('The Xero connector answered something that is not JSON (is the URL right?).', $status);
			}
			return $decoded;
		}
		throw new ApiException(self::errorMessage($status, $decoded), $status, $decoded);
	}

	/** A message for the merchant from an error answer of the API. */
	public static function errorMessage(int $status, ?array $body): string {
		$message = '';
		if (is_array($body) && isset($body['message'])) {
			$message = is_array($body['message']) ? implode('; ', array_map('strval', $body['message'])) : (string)$body['message'];
		}
		if ($status === 401) {
			return 'The API key was refused: create a key of scope "opencart-bridge" in the connector and paste it in the module settings.';
		}
		if ($status === 403) {
			return 'The API key may not do this' . ($message !== '' ? ': ' . $message : '.');
		}
		if ($status === 429) {
			return 'The Xero connector is busy; try again in a minute.';
		}
		if ($message !== '') {
			return $message;
		}
		return 'The Xero connector answered HTTP ' . $status . '.';
	}

	/**
	 * The order list's column from one order's sync state: code (exported, failed, pending,
	 * marked, removed, not_exported), the text to show and the hover title (the failure's reason).
	 */
	public static function orderLabel(?array $state): array {
		if (!$state) {
			return ['code' => 'not_exported', 'text' => '', 'title' => '', 'url' => null];
		}
		$sync = isset($state['sync']) && is_array($state['sync']) ? $state['sync'] : $state;
		$number = (string)($sync['invoiceNumber'] ?? '');
		$url = $sync['xeroUrl'] ?? null;
		$error = (string)($sync['error'] ?? '');
		// The API's own verdict when it gives one; else read the ledger status.
		$verdict = ['synced' => 'exported', 'failed' => 'failed', 'pending' => 'pending', 'marked' => 'marked', 'not-exported' => 'not_exported', 'removed' => 'removed'];
		if (isset($state['state'], $verdict[$state['state']])) {
			$code = $verdict[$state['state']];
			return [
				'code' => $code,
				'text' => in_array($code, ['exported', 'marked', 'removed'], true) ? $number : '',
				'title' => in_array($code, ['failed', 'removed'], true) ? $error : '',
				'url' => in_array($code, ['exported', 'marked', 'removed'], true) ? $url : null,
			];
		}
		$status = strtolower((string)($sync['status'] ?? ''));
		if (!empty($state['marked'])) {
			return ['code' => 'marked', 'text' => $number, 'title' => '', 'url' => $url];
		}
		if (in_array($status, ['done', 'exported', 'synced', 'ok'], true) || ($number !== '' && !in_array($status, ['failed', 'conflict', 'pending', 'removed'], true))) {
			return ['code' => 'exported', 'text' => $number, 'title' => '', 'url' => $url];
		}
		if (in_array($status, ['failed', 'conflict', 'error'], true)) {
			return ['code' => 'failed', 'text' => '', 'title' => $error, 'url' => null];
		}
		if (in_array($status, ['pending', 'queued', 'running'], true)) {
			return ['code' => 'pending', 'text' => '', 'title' => '', 'url' => null];
		}
		if ($status === 'removed') {
			return ['code' => 'removed', 'text' => $number, 'title' => $error, 'url' => $url];
		}
		return ['code' => 'not_exported', 'text' => '', 'title' => '', 'url' => null];
	}

	/** Splits the chart into the sales (revenue) and purchase (expense, cost of sales) pickers. */
	public static function accountChoices(array $accounts): array {
		$sales = [];
		$purchase = [];
		foreach ($accounts as $a) {
			$code = (string)($a['code'] ?? $a['Code'] ?? '');
			if ($code === '') {
				continue;
			}
			$type = strtoupper((string)($a['type'] ?? $a['Type'] ?? ''));
			$class = strtoupper((string)($a['class'] ?? $a['Class'] ?? ''));
			$row = ['code' => $code, 'name' => $code . ' — ' . (string)($a['name'] ?? $a['Name'] ?? '')];
			if (in_array($type, ['REVENUE', 'SALES', 'OTHERINCOME'], true) || $class === 'REVENUE') {
				$sales[] = $row;
			}
			if (in_array($type, ['EXPENSE', 'DIRECTCOSTS', 'OVERHEADS', 'INVENTORY'], true) || $class === 'EXPENSE') {
				$purchase[] = $row;
			}
		}
		return [$sales, $purchase];
	}

	/** @return int[] distinct positive ids */
	public static function ids(array $ids): array {
		$out = [];
		foreach ($ids as $id) {
			$id = (int)$id;
			if ($id > 0) {
				$out[$id] = $id;
			}
		}
		return array_values($out);
	}

	private function log(string $line): void {
		if ($this->logger) {
			call_user_func($this->logger, 'Xero connector: ' . $line);
		}
	}
}

/** array_is_list() is PHP 8.1+; OpenCart 3 stores still run 7.4. */
function array_is_list_compat(array $a): bool {
	$i = 0;
	foreach ($a as $k => $_) {
		if ($k !== $i++) {
			return false;
		}
	}
	return true;
}
