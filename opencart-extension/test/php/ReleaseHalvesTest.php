<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

// OpenCart's two controller bases, as far as our classes need them to load.
eval('class Controller {}');
eval('namespace Opencart\System\Engine; class Controller {}');

/**
 * The two release halves of the admin controller (src/oc3, src/oc4) over the shared AdminBridge:
 * both describe the same markup keys, their routes and events, and every text the shared code and
 * templates use is in the one language source.
 */
final class ReleaseHalvesTest extends TestCase {
	private static $oc3;
	private static $oc4;

	public static function setUpBeforeClass(): void {
		// Each release's folders, with the shared library where that release keeps it.
		$tmp = sys_get_temp_dir() . '/ocx-halves-' . getmypid();
		$lib = realpath(__DIR__ . '/../../src/common/library');
		@mkdir($tmp . '/sys/library', 0777, true);
		@mkdir($tmp . '/ext/oc_xero_connector/system', 0777, true);
		@symlink($lib, $tmp . '/sys/library/oc_xero_connector');
		@symlink($lib, $tmp . '/ext/oc_xero_connector/system/library');
		define('DIR_SYSTEM', $tmp . '/sys/');
		define('DIR_EXTENSION', $tmp . '/ext/');
		define('VERSION', '4.1.0.3');
		require_once DIR_SYSTEM . 'library/oc_xero_connector/order_nudge.php';
		require __DIR__ . '/../../src/oc3/upload/admin/controller/extension/module/xero_connector.php';
		require __DIR__ . '/../../src/oc4/admin/controller/module/xero_connector.php';
		self::$oc3 = new ControllerExtensionModuleXeroConnector();
		self::$oc4 = new \Opencart\Admin\Controller\Extension\OcXeroConnector\Module\XeroConnector();
	}

	private static function call($host, string $method, ...$args) {
		$m = new ReflectionMethod($host, $method);
		$m->setAccessible(true);
		return $m->invoke($host, ...$args);
	}

	private static function shape(array $a): array {
		$out = [];
		foreach ($a as $k => $v) {
			$out[$k] = is_array($v) ? self::shape($v) : gettype($v);
		}
		ksort($out);
		return $out;
	}

	public function testBothReleasesDescribeTheSameMarkup(): void {
		$ui3 = self::call(self::$oc3, 'xcUi');
		$ui4 = self::call(self::$oc4, 'xcUi');
		$this->assertSame(self::shape($ui3), self::shape($ui4));
		foreach ([$ui3, $ui4] as $ui) {
			$this->assertSame(['exported', 'failed', 'marked', 'not_exported', 'pending', 'removed'], array_keys(self::shape($ui['badge'])));
			$panel = sprintf($ui['panel'], 'URL', 'TITLE', 'LOADING');
			$this->assertStringContainsString('id="xero-connector-panel" data-url="URL"', $panel);
			$this->assertStringContainsString('TITLE', $panel);
			$this->assertStringContainsString('<div id="xero-connector-panel-body">LOADING</div>', $panel);
			$this->assertStringContainsString('data-xero-bulk="U" id="xero-connector-bulk-mark">Mark', sprintf($ui['bulk_item'], 'U', 'mark', 'Mark'));
			$this->assertStringContainsString('id="xero-connector-tab">Xero<', sprintf($ui['tab_link'], 'Xero'));
		}
	}

	public function testRoutesAndEventsOfEachRelease(): void {
		$this->assertSame('extension/module/xero_connector', self::call(self::$oc3, 'xcRoute'));
		$this->assertSame('extension/module/xero_connector/panel', self::call(self::$oc3, 'xcRoute', 'panel'));
		$this->assertSame('extension/oc_xero_connector/module/xero_connector.panel', self::call(self::$oc4, 'xcRoute', 'panel'));
		$this->assertSame('catalog/model/checkout/order/addOrderHistory/after', self::call(self::$oc3, 'xcEvents')['order_history'][0]);
		$this->assertSame('catalog/model/checkout/order.addHistory/after', self::call(self::$oc4, 'xcEvents')['order_history'][0]);
		foreach ([self::$oc3, self::$oc4] as $host) {
			foreach (self::call($host, 'xcEvents') as [$trigger, $method]) {
				// Admin triggers call the admin class, the catalog one the storefront's OrderNudge.
				$this->assertTrue(strpos($trigger, 'admin/') === 0 ? method_exists($host, $method) : method_exists('OcXeroConnector\OrderNudge', $method), $trigger . ' → ' . $method);
			}
		}
	}

	public function testEveryTextUsedIsInTheLanguageSource(): void {
		$_ = [];
		require __DIR__ . '/../../src/common/language/en-gb.php';
		$src = __DIR__ . '/../../src';
		$used = [];
		$code = file_get_contents($src . '/common/library/admin_bridge.php') . file_get_contents($src . '/oc3/upload/admin/controller/extension/module/xero_connector.php') . file_get_contents($src . '/oc4/admin/controller/module/xero_connector.php');
		preg_match_all("#language->get\\('([a-z_]+)'\\)#", $code, $m);
		$used = array_merge($used, $m[1]);
		preg_match_all("#'(xero_(?:text|button|error)_[a-z_]+)'#", $code, $m);
		$used = array_merge($used, $m[1]);
		foreach (glob($src . '/{common/template,oc3/upload/admin/view/template/extension/module,oc4/admin/view/template/module}/*.twig', GLOB_BRACE) as $twig) {
			preg_match_all('#\b(xero_[a-z_]+)\b#', (string)file_get_contents($twig), $m);
			$used = array_merge($used, $m[1]);
		}
		foreach (['exported', 'failed', 'pending', 'marked', 'removed', 'not_exported'] as $status) {
			$used[] = 'xero_status_' . $status;
		}
		// Twig variables and element ids that are not texts.
		$notTexts = ['xero_url', 'xero_total', 'xero_error', 'xero_connector_status', 'xero_connector_url', 'xero_connector_key', 'xero_connector_spa_url'];
		$missing = array_values(array_diff(array_unique($used), array_keys($_), $notTexts, ['heading_title', 'text_home']));
		$missing = array_values(array_filter($missing, function ($k) { return strpos($k, 'xero_connector') !== 0 && strpos($k, 'xero_sales') !== 0 && strpos($k, 'xero_purchase') !== 0; }));
		$this->assertSame([], $missing);
	}
}
