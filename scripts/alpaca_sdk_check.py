"""Drives a running `bulwark exchange` with Alpaca's official Python SDK (alpaca-py), unmodified.

Every call goes through the SDK's own request building and its own pydantic models, so a route that is
missing, answers the wrong status or a body the models cannot parse shows up as a failed check.
Run by scripts/alpaca-sdk-check.sh, which installs alpaca-py in a virtualenv and starts the exchange;
by hand: python3 alpaca_sdk_check.py URL KEY_ID SECRET_KEY.
Prints one line per check and a summary; exits 1 if any check failed.
"""

import asyncio
import sys
import traceback
from datetime import datetime, timedelta, timezone

from alpaca.common.exceptions import APIError
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.live import StockDataStream
from alpaca.data.requests import (
    StockBarsRequest,
    StockLatestBarRequest,
    StockLatestQuoteRequest,
    StockLatestTradeRequest,
    StockSnapshotRequest,
)
from alpaca.data.timeframe import TimeFrame, TimeFrameUnit
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, OrderStatus, QueryOrderStatus, TimeInForce
from alpaca.trading.models import AccountConfiguration
from alpaca.trading.stream import TradingStream
from alpaca.trading.requests import (
    ClosePositionRequest,
    GetAssetsRequest,
    GetCalendarRequest,
    GetOrdersRequest,
    GetPortfolioHistoryRequest,
    LimitOrderRequest,
    MarketOrderRequest,
    ReplaceOrderRequest,
)

results = []


def check(name):
    def wrap(body):
        try:
            detail = body()
            results.append((name, True, detail or ""))
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
            where = traceback.extract_tb(error.__traceback__)[-1]
            results.append((name, False, f"{type(error).__name__}: {str(error)[:300]} (line {where.lineno})"))
        return body

    return wrap


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def main(url, key_id, secret_key):
    trading = TradingClient(key_id, secret_key, paper=True, url_override=url)
    data = StockHistoricalDataClient(key_id, secret_key, url_override=url)
    symbols = ["AAPL", "MSFT"]
    state = {}

    @check("account (options_buying_power, crypto_status, pending transfers)")
    def _():
        account = trading.get_account()
        expect(account.options_buying_power is not None, "no options_buying_power")
        expect(account.pending_transfer_in is not None and account.pending_transfer_out is not None, "no pending transfers")
        return f"equity {account.equity}, crypto_status {account.crypto_status}"

    @check("clock")
    def _():
        clock = trading.get_clock()
        return f"is_open {clock.is_open}, next_open {clock.next_open}, next_close {clock.next_close}"

    @check("calendar")
    def _():
        days = trading.get_calendar(GetCalendarRequest(start=datetime.now(timezone.utc).date(), end=datetime.now(timezone.utc).date() + timedelta(days=14)))
        return f"{len(days)} sessions, first {days[0].date} {days[0].open}-{days[0].close}" if days else "no sessions"

    @check("account configurations: get, patch, read back")
    def _():
        configuration = trading.get_account_configurations()
        changed = AccountConfiguration(**{**configuration.model_dump(), "trade_confirm_email": "none"})
        updated = trading.set_account_configurations(changed)
        expect(updated.trade_confirm_email == "none", f"trade_confirm_email {updated.trade_confirm_email}")
        expect(trading.get_account_configurations().trade_confirm_email == "none", "not kept")

    @check("assets: all, by symbol, by id")
    def _():
        assets = trading.get_all_assets(GetAssetsRequest(status="active", asset_class="us_equity"))
        expect(len(assets) > 0, "no assets")
        apple = trading.get_asset("AAPL")
        again = trading.get_asset(apple.id)
        expect(again.symbol == "AAPL", f"by id: {again.symbol}")
        state["apple_id"] = apple.id
        return f"{len(assets)} assets"

    @check("market order, filled")
    def _():
        order = trading.submit_order(MarketOrderRequest(symbol="AAPL", qty=3, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
        filled = trading.get_order_by_id(order.id)
        expect(filled.status == OrderStatus.FILLED, f"status {filled.status}")
        state["market_order"] = filled
        return f"expires_at {filled.expires_at}"

    @check("limit order, replaced")
    def _():
        quote = data.get_stock_latest_quote(StockLatestQuoteRequest(symbol_or_symbols="MSFT"))["MSFT"]
        limit = round(quote.bid_price * 0.8, 2)
        order = trading.submit_order(
            LimitOrderRequest(symbol="MSFT", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC, limit_price=limit))
        new = trading.replace_order_by_id(order.id, ReplaceOrderRequest(qty=2, limit_price=round(limit - 1, 2)))
        expect(str(new.replaces) == str(order.id), f"replaces {new.replaces}")
        old = trading.get_order_by_id(order.id)
        expect(old.status == OrderStatus.REPLACED, f"old status {old.status}")
        expect(str(old.replaced_by) == str(new.id), f"replaced_by {old.replaced_by}")
        state["replacement"] = new

    @check("orders filtered by side, after, until")
    def _():
        submitted = state["market_order"].submitted_at
        sells = trading.get_orders(GetOrdersRequest(status=QueryOrderStatus.ALL, side=OrderSide.SELL))
        expect(sells == [], f"{len(sells)} sell orders")
        later = trading.get_orders(GetOrdersRequest(status=QueryOrderStatus.ALL, after=submitted))
        expect(all(order.submitted_at > submitted for order in later), "after not honoured")
        earlier = trading.get_orders(GetOrdersRequest(status=QueryOrderStatus.ALL, until=submitted + timedelta(milliseconds=1)))
        expect(any(order.id == state["market_order"].id for order in earlier), "until not honoured")
        return f"{len(later)} after, {len(earlier)} until"

    @check("positions: all, by symbol, by asset id (usd)")
    def _():
        positions = trading.get_all_positions()
        expect(len(positions) == 1, f"{len(positions)} positions")
        by_id = trading.get_open_position(str(state["apple_id"]))
        expect(by_id.symbol == "AAPL" and by_id.usd is not None, "by asset id")
        partial = trading.close_position("AAPL", ClosePositionRequest(qty="1"))
        expect(partial.qty == "1", f"closing qty {partial.qty}")

    @check("cancel all orders (207)")
    def _():
        responses = trading.cancel_orders()
        expect(any(str(r.id) == str(state["replacement"].id) and r.status == 200 for r in responses), f"{responses}")
        return f"{len(responses)} canceled"

    @check("close all positions with cancel_orders (207)")
    def _():
        trading.submit_order(MarketOrderRequest(symbol="NVDA", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
        trading.get_all_positions()
        responses = trading.close_all_positions(cancel_orders=True)
        expect(all(r.status == 200 for r in responses), f"{responses}")
        return f"{len(responses)} closed: {sorted(r.symbol for r in responses)}"

    @check("portfolio history")
    def _():
        history = trading.get_portfolio_history(GetPortfolioHistoryRequest(period="1D", timeframe="1Min"))
        expect(len(history.timestamp) == len(history.equity) > 0, "empty")
        return f"{len(history.equity)} points, base {history.base_value}"

    @check("latest trade, quote, bar of two symbols")
    def _():
        trades = data.get_stock_latest_trade(StockLatestTradeRequest(symbol_or_symbols=symbols))
        quotes = data.get_stock_latest_quote(StockLatestQuoteRequest(symbol_or_symbols=symbols))
        bars = data.get_stock_latest_bar(StockLatestBarRequest(symbol_or_symbols=symbols))
        expect(set(trades) == set(quotes) == set(bars) == set(symbols), f"{set(trades)} {set(quotes)} {set(bars)}")
        return f"AAPL trade {trades['AAPL'].price}, bar {bars['AAPL'].timestamp}"

    @check("bars 1Min of two symbols, whole and with a limit")
    def _():
        start = datetime.now(timezone.utc) - timedelta(hours=2)
        whole = data.get_stock_bars(StockBarsRequest(symbol_or_symbols=symbols, timeframe=TimeFrame.Minute, start=start))
        limited = data.get_stock_bars(StockBarsRequest(symbol_or_symbols=symbols, timeframe=TimeFrame.Minute, start=start, limit=5))
        counts = {symbol: len(whole.data.get(symbol, [])) for symbol in symbols}
        expect(all(count > 0 for count in counts.values()), f"{counts}")
        expect(sum(len(v) for v in limited.data.values()) == 5, "limit not honoured")
        return f"{counts}"

    @check("bars 5Min, 15Min, 1Hour, 1Day")
    def _():
        start = datetime.now(timezone.utc) - timedelta(days=2)
        counts = {}
        for frame in [TimeFrame(5, TimeFrameUnit.Minute), TimeFrame(15, TimeFrameUnit.Minute), TimeFrame.Hour, TimeFrame.Day]:
            bars = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="AAPL", timeframe=frame, start=start))
            counts[str(frame)] = len(bars.data.get("AAPL", []))
        expect(all(count > 0 for count in counts.values()), f"{counts}")
        return f"{counts}"

    @check("snapshots")
    def _():
        snapshots = data.get_stock_snapshot(StockSnapshotRequest(symbol_or_symbols=symbols))
        expect(set(snapshots) == set(symbols), f"{set(snapshots)}")
        apple = snapshots["AAPL"]
        expect(apple.latest_trade is not None and apple.latest_quote is not None and apple.minute_bar is not None, "parts missing")
        return f"daily bar {apple.daily_bar.timestamp if apple.daily_bar else None}"

    stream_url = url.replace("http://", "ws://", 1)

    async def first(stream, ready, timeout=20):
        """Runs an SDK stream until `ready` (an asyncio.Event its handler sets) or `timeout` seconds."""
        runner = asyncio.ensure_future(stream._run_forever())
        try:
            await asyncio.wait_for(ready.wait(), timeout)
        finally:
            await stream.stop_ws()
            try:
                await asyncio.wait_for(runner, 10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                runner.cancel()

    @check("TradingStream: a market order's fill is pushed (trade_updates)")
    def _():
        async def run():
            stream = TradingStream(key_id, secret_key, paper=True, url_override=stream_url + "/stream")
            updates = []
            filled = asyncio.Event()

            async def on_update(update):
                updates.append(update)
                if update.event == "fill":
                    filled.set()

            stream.subscribe_trade_updates(on_update)
            loop = asyncio.get_running_loop()

            async def submit_when_listening():
                while not stream._running:
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.2)
                order = MarketOrderRequest(symbol="GOOGL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY)
                await loop.run_in_executor(None, lambda: trading.submit_order(order))

            submitter = asyncio.ensure_future(submit_when_listening())
            await first(stream, filled)
            await submitter
            return updates

        updates = asyncio.run(run())
        fills = [u for u in updates if u.event == "fill"]
        expect(fills, f"no fill among {[u.event for u in updates]}")
        fill = fills[0]
        expect(fill.order.symbol == "GOOGL" and fill.price and fill.qty == 1 and fill.position_qty is not None, f"{fill}")
        return f"events {[str(u.event.value if hasattr(u.event, 'value') else u.event) for u in updates]}, price {fill.price}, position_qty {fill.position_qty}"

    @check("StockDataStream: quotes pushed over MessagePack (/v2/iex)")
    def _():
        async def run():
            stream = StockDataStream(key_id, secret_key, url_override=stream_url + "/v2/iex")
            quotes = []
            got = asyncio.Event()

            async def on_quote(quote):
                quotes.append(quote)
                got.set()

            stream.subscribe_quotes(on_quote, "AAPL")
            await first(stream, got)
            return quotes

        quotes = asyncio.run(run())
        expect(quotes, "no quote")
        quote = quotes[0]
        expect(quote.symbol == "AAPL" and quote.bid_price > 0 and quote.ask_price >= quote.bid_price, f"{quote}")
        expect(quote.timestamp.tzinfo is not None, f"timestamp {quote.timestamp!r}")
        return f"AAPL bid {quote.bid_price} ask {quote.ask_price} at {quote.timestamp}"

    @check("an error is Alpaca's (404 order not found)")
    def _():
        try:
            trading.get_order_by_id("00000000-0000-4000-8000-000000000000")
        except APIError as error:
            expect(error.status_code == 404 and error.code == 40410000, f"{error.status_code} {error.code}")
            return "APIError 404, code 40410000"
        raise AssertionError("no error")

    failed = [name for name, ok, _ in results if not ok]
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + str(detail) if detail else ''}")
    print(f"{len(results) - len(failed)} of {len(results)} checks passed with alpaca-py")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: alpaca_sdk_check.py URL KEY_ID SECRET_KEY", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
