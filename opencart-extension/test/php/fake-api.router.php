<?php
// A stand-in connector API for the client's unit tests, served by `php -S`: it records every
// request into FAKE_API_LOG and answers from the path (see the cases below).
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$body = file_get_contents('php://input');
file_put_contents(getenv('FAKE_API_LOG'), json_encode([
	'method' => $_SERVER['REQUEST_METHOD'],
	'path' => $path,
	'query' => $_GET,
	'auth' => $_SERVER['HTTP_AUTHORIZATION'] ?? '',
	'contentType' => $_SERVER['CONTENT_TYPE'] ?? '',
	'body' => $body,
]) . "\n", FILE_APPEND);
header('Content-Type: application/json');
$auth = $_SERVER['HTTP_AUTHORIZATION'] ?? '';
if ($path === '/health') {
	echo json_encode(['status' => 'ok']);
	return;
}
if ($auth !== 'Bearer good-key') {
	http_response_code(401);
	echo json_encode(['statusCode' => 401, 'message' => 'Unauthorized']);
	return;
}
switch (true) {
	case $path === '/api/xero/status':
		echo json_encode(['connected' => true, 'organisationName' => 'Demo Company (UK)']);
		return;
	case $path === '/api/orders/status':
		$ids = array_map('intval', explode(',', $_GET['ids']));
		echo json_encode(['items' => array_map(function ($id) {
			$state = [1 => 'synced', 2 => 'failed', 3 => 'marked'][$id] ?? 'not-exported';
			return ['orderId' => $id, 'state' => $state, 'marked' => $id === 3, 'sync' => ['status' => $id === 1 ? 'done' : ($id === 2 ? 'failed' : 'not synced'), 'invoiceNumber' => $id === 1 ? 'OC-1' : null, 'error' => $id === 2 ? 'Account 200 is archived' : null]];
		}, $ids)]);
		return;
	case preg_match('#^/api/orders/(\d+)/sync$#', $path, $m) === 1:
		if ($m[1] === '8') {
			http_response_code(409); // a run is going
			echo json_encode(['statusCode' => 409, 'message' => 'A run is already going.', 'runningRunId' => 'r1']);
			return;
		}
		http_response_code(202);
		echo json_encode(['runId' => 'run-' . $m[1]]);
		return;
	case $path === '/api/orders/sync-soon':
		$ids = json_decode($body, true)['orderIds'];
		if ($ids === [99]) {
			sleep(5); // a hung connector: the nudge must give up long before this
		}
		http_response_code(202);
		echo json_encode(['queued' => $ids, 'waiting' => $ids, 'startsAt' => '2026-01-01T00:00:01Z']);
		return;
	case $path === '/api/orders/mark':
		echo json_encode(['marked' => json_decode($body, true)['orderIds']]);
		return;
	case $path === '/api/forbidden':
		http_response_code(403);
		echo json_encode(['statusCode' => 403, 'message' => 'This key has scope opencart-bridge']);
		return;
	case $path === '/api/bad-request':
		http_response_code(400);
		echo json_encode(['statusCode' => 400, 'message' => ['orderIds must be positive', 'at most 500']]);
		return;
	case $path === '/api/not-json':
		header('Content-Type: text/html');
		echo '<html>login</html>';
		return;
	case preg_match('#^/api/products/(\d+)/override$#', $path, $m) === 1:
		echo $body;
		return;
	case $path === '/api/products':
		// the product after afterId: 40 exists, 41 does not (42 follows 40)
		$after = (int)$_GET['afterId'];
		$id = $after < 40 ? 40 : 42;
		echo json_encode(['items' => [['productId' => $id, 'override' => ['salesAccountCode' => $id === 40 ? '200' : '400', 'purchaseAccountCode' => null]]], 'nextAfterId' => $id]);
		return;
	case $path === '/api/xero/accounts':
		echo json_encode([['code' => '200', 'name' => 'Sales', 'type' => 'REVENUE'], ['code' => '310', 'name' => 'Cost of Goods Sold', 'type' => 'DIRECTCOSTS'], ['code' => '090', 'name' => 'Bank', 'type' => 'BANK']]);
		return;
}
http_response_code(404);
echo json_encode(['statusCode' => 404, 'message' => 'Cannot ' . $_SERVER['REQUEST_METHOD'] . ' ' . $path]);
