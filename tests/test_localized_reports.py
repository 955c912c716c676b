"""Amazon's Payments › Date Range Report (transaction view) as each marketplace writes it.

The headers, type names, date and number forms below are the ones public parsers of real downloads read
(amazon.de, .fr, .it, .es, .co.jp; the English ones for comparison): a German 2024 report with its header on
row 8 (27 columns), a Japanese August 2026 report (30 columns, 9 note lines, UTF-8; older downloads Shift_JIS),
French with both its older (``numéro de versement``) and newer (``Identifiant du paiement``, ``site de vente``)
headers and spaces between thousands, Italian with ``Data/Ora:`` and dotted times. The note lines' German,
French, Italian, Spanish and Japanese wording was not found: the files below carry English-shaped notes of the
same count, which the reader must skip whatever they say. A Chinese-language transaction file was never seen
(sellers' tools read the marketplace's language even from a Chinese Seller Central): its test is the guess
Amazon's Chinese help page suggests (日期/时间, 结算编号, 类型, 退款).
"""

from __future__ import annotations

import pytest
from stockbook.io import read_file

NOTES = [
    "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions",
    "All amounts in {cur}, unless specified",
    "Definitions:",
    "Sales tax collected: Includes sales tax collected from buyers for product sales, shipping, and gift wrap.",
    "Selling fees: Includes variable closing fees and referral fees.",
    "Other transaction fees: Includes shipping chargebacks, shipping holdbacks, per-item fees  and sales tax "
    "collection fees.",
    'Other: Includes non-order transaction amounts. For more details, see the ""Type"" and ""Description"" '
    "columns for each order ID.",
]

US = (
    "date/time,settlement id,type,order id,sku,description,quantity,marketplace,account type,fulfillment,"
    "order city,order state,order postal,tax collection model,product sales,product sales tax,shipping credits,"
    "shipping credits tax,gift wrap credits,giftwrap credits tax,Regulatory Fee,Tax On Regulatory Fee,"
    "promotional rebates,promotional rebates tax,marketplace withheld tax,selling fees,fba fees,"
    "other transaction fees,other,total"
)
UK = (
    "date/time,settlement id,type,order id,sku,description,quantity,marketplace,fulfilment,order city,"
    "order state,order postal,tax collection model,product sales,product sales tax,postage credits,"
    "shipping credits tax,gift wrap credits,giftwrap credits tax,promotional rebates,promotional rebates tax,"
    "marketplace withheld tax,selling fees,fba fees,other transaction fees,other,total"
)
DE = (
    "Datum/Uhrzeit,Abrechnungsnummer,Typ,Bestellnummer,SKU,Beschreibung,Menge,Marketplace,Versand,"
    "Ort der Bestellung,Bundesland,Postleitzahl,Steuererhebungsmodell,Umsätze,Produktumsatzsteuer,"
    "Gutschrift für Versandkosten,Steuer auf Versandgutschrift,Gutschrift für Geschenkverpackung,"
    "Steuer auf Geschenkverpackungsgutschriften,Rabatte aus Werbeaktionen,Steuer auf Aktionsrabatte,"
    "Einbehaltene Steuer auf Marketplace,Verkaufsgebühren,Gebühren zu Versand durch Amazon,"
    "Andere Transaktionsgebühren,Andere,Gesamt"
)
FR_OLD = (
    "date/heure,numéro de versement,type,numéro de la commande,sku,description,quantité,Marketplace,traitement,"
    "ville d'où provient la commande,Région d'où provient la commande,code postal de la commande,"
    "Modèle de perception des taxes,ventes de produits,Taxes sur la vente des produits,crédits d'expédition,"
    "taxe sur les crédits d’expédition,crédits sur l'emballage cadeau,Taxes sur les crédits cadeaux,"
    "Rabais promotionnels,Taxes sur les remises promotionnelles,Taxes retenues sur le site de vente,"
    "frais de vente,Frais Expédié par Amazon,autres frais de transaction,autre,total"
)
FR_NEW = (
    "date/heure,Identifiant du paiement,type,Numéro de la commande,SKU,description,quantité,site de vente,"
    "traitement,ventes de produits,frais de vente,Frais pour le service Expédié par Amazon,"
    "autres frais de transaction,autre,total"
)
IT = (
    "Data/Ora:,Numero pagamento,Tipo,Numero ordine,SKU,Descrizione,Quantità,Marketplace,Gestione,"
    "Città di provenienza dell'ordine,Provincia di provenienza dell'ordine,CAP dell'ordine,"
    "modello di riscossione delle imposte,Vendite,imposta sulle vendite dei prodotti,"
    "Accrediti per le spedizioni,imposta accrediti per le spedizioni,Accrediti per confezioni regalo,"
    "imposta sui crediti confezione regalo,Sconti promozionali,imposta sugli sconti promozionali,"
    "trattenuta IVA del marketplace,Commissioni di vendita,Costi del servizio Logistica di Amazon,"
    "Altri costi relativi alle transazioni,Altro,totale"
)
ES = (
    "fecha y hora,identificador de pago,tipo,número de pedido,sku,descripción,cantidad,web de Amazon,"
    "gestión logística,ciudad de procedencia del pedido,comunidad autónoma de procedencia del pedido,"
    "código postal de procedencia del pedido,Formulario de recaudación de impuestos,ventas de productos,"
    "impuesto de ventas de productos,abonos de envío,impuestos por abonos de envío,"
    "abonos de envoltorio para regalo,giftwrap credits tax,devoluciones promocionales,promotional rebates tax,"
    "impuesto retenido en el sitio web,tarifas de venta,tarifas de Logística de Amazon,"
    "tarifas de otras transacciones,otro,total"
)
JP = (
    "日付/時間,決済番号,トランザクションの種類,注文番号,SKU,説明,数量,Amazon 出品サービス,フルフィルメント,"
    "市町村,都道府県,郵便番号,税金徴収型,商品売上,商品の売上税,配送料,配送料の税金,ギフト包装手数料,"
    "ギフト包装クレジットの税金,Amazonポイントの費用,プロモーション割引額,プロモーション割引の税金,"
    "源泉徴収税を伴うマーケットプレイス,手数料,FBA 手数料,トランザクションに関するその他の手数料,その他,合計,"
    "トランザクションのステータス,トランザクション開始日"
)
ZH = (
    "日期/时间,结算编号,类型,订单编号,SKU,描述,数量,站点,配送,商品销售,销售佣金,亚马逊物流费用,合计"
)

#: (header, notes, the four rows' [date, type, amount] for refund, order, fee, transfer; marketplace cell)
CASES = {
    "US": (
        US,
        7,
        "USD",
        [
            ("Sep 20, 2026 9:15:02 AM PDT", "Refund", "-1,234.56"),
            ("Oct 21, 2026 10:00:00 AM PDT", "Order", "18.20"),
            ("Oct 22, 2026 11:00:00 PM PDT", "Service Fee", "-39.99"),
            ("Oct 23, 2026 1:00:00 AM PDT", "Transfer", "-5,000.00"),
        ],
        "amazon.com",
    ),
    "UK": (
        UK,
        7,
        "GBP",
        [
            ("20 Sept 2026 09:15:02 BST", "Refund", "-1,234.56"),
            ("21 Oct 2026 10:00:00 BST", "Order", "18.20"),
            ("22 Oct 2026 23:00:00 UTC", "Service Fee", "-39.99"),
            ("23 Oct 2026 01:00:00 UTC", "Transfer", "-5,000.00"),
        ],
        "amazon.co.uk",
    ),
    "DE": (
        DE,
        7,
        "EUR",
        [
            ("20.09.2026 09:15:02 UTC", "Erstattung", "-1.234,56"),
            ("21.10.2026 10:00:00 UTC", "Bestellung", "18,20"),
            ("22.10.2026 23:00:00 UTC", "Servicegebühr", "-39,99"),
            ("23.10.2026 01:00:00 UTC", "Anpassung", "5,00"),
        ],
        "amazon.de",
    ),
    "FR": (
        FR_OLD,
        7,
        "EUR",
        [
            ("20 sept. 2026 09:15:02 UTC", "Remboursement", "-1\u00a0234,56"),
            ("21 oct. 2026 10:00:00 UTC", "Commande", "18,20"),
            ("22 déc. 2026 23:00:00 UTC", "Frais de service", "-39,99"),
            ("23 févr. 2026 01:00:00 UTC", "Frais de stock Expédié par Amazon", "-19 353,69"),
        ],
        "amazon.fr",
    ),
    "FR-new": (
        FR_NEW,
        9,
        "EUR",
        [
            ("20 sept. 2026 09:15:02 UTC", "Remboursement", "-1 234,56"),
            ("21 oct. 2026 10:00:00 UTC", "Commande", "18,20"),
            ("22 janv. 2026 23:00:00 UTC", "Ajustement", "-39,99"),
            ("23 août 2026 01:00:00 UTC", "Frais de service", "-5,00"),
        ],
        "amazon.fr",
    ),
    "IT": (
        IT,
        7,
        "EUR",
        [
            ("20 set 2026 09.15.02 UTC", "Rimborso", "-1.234,56"),
            ("21 ott 2026 10.00.00 UTC", "Ordine", "18,20"),
            ("22 dic 2026 23.00.00 UTC", "Commissione di servizio", "-39,99"),
            ("23 gen 2026 01.00.00 UTC", "Modifica", "5,00"),
        ],
        "amazon.it",
    ),
    "ES": (
        ES,
        7,
        "EUR",
        [
            ("20/09/2026 9:15:02 UTC", "Reembolso", "-1.234,56"),
            ("21/10/2026 10:00:00 UTC", "Pedido", "18,20"),
            ("02/10/2026 23:00:00 UTC", "Tarifa de prestación de servicio", "-39,99"),
            ("03/10/2026 1:00:00 UTC", "Ajuste", "5,00"),
        ],
        "amazon.es",
    ),
    "JP": (
        JP,
        9,
        "JPY",
        [
            ("2026/09/20 9:15:02 JST", "返金", "-1,234"),
            ("2026/10/21 10:00:00 JST", "注文", "1,820"),
            ("2026/10/22 23:00:00 JST", "注文外料金", "-3,999"),
            ("2026/10/23 1:00:00 JST", "振込み", "-500,000"),
        ],
        "amazon.co.jp",
    ),
    "ZH": (
        ZH,
        3,
        "USD",
        [
            ("2026/09/20 9:15:02 PDT", "退款", "-1,234.56"),
            ("2026/10/21 10:00:00 PDT", "订单", "18.20"),
            ("2026/10/22 23:00:00 PDT", "服务费", "-39.99"),
            ("2026/10/23 1:00:00 PDT", "转账", "-5,000.00"),
        ],
        "amazon.com",
    ),
}


def _quoted(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def write_transactions(path, case: str, *, encoding: str = "utf-8") -> tuple:
    """A Date Range Report as ``case``'s marketplace writes it: its note lines, its header, four rows (a
    refund, an order, a fee, a transfer or adjustment), every field quoted as Amazon quotes them."""
    header, n_notes, cur, rows, market = CASES[case]
    names = header.split(",")
    lines = ['"' + NOTES[i % len(NOTES)].format(cur=cur) + '"' for i in range(n_notes)]
    lines.append(_quoted(names))
    for k, (when, kind, total) in enumerate(rows):
        cells = [""] * len(names)
        cells[0], cells[1], cells[2] = when, "12345678901", kind
        cells[3] = f"302-000000{k}-1234567" if k < 2 else ""
        cells[4] = "SKU-001" if k < 2 else ""
        cells[5] = "Produkt / 商品"
        cells[6] = "1" if k < 2 else ""
        cells[7] = market
        cells[-1 if case != "JP" else -3] = total
        if case == "JP":
            cells[-2], cells[-1] = "リリース済み", "2026/10/25 0:00:00 JST"
        lines.append(_quoted(cells))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return rows, cur, n_notes


#: the refund each file yields: amount and currency
REFUND = {
    "US": (-1234.56, "USD"),
    "UK": (-1234.56, "GBP"),
    "DE": (-1234.56, "EUR"),
    "FR": (-1234.56, "EUR"),
    "FR-new": (-1234.56, "EUR"),
    "IT": (-1234.56, "EUR"),
    "ES": (-1234.56, "EUR"),
    "JP": (-1234.0, "JPY"),
    "ZH": (-1234.56, "USD"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_marketplace_s_date_range_report_yields_its_refund(tmp_path, case):
    path = tmp_path / f"DateRangeReport_{case}.csv"
    rows, cur, n_notes = write_transactions(path, case)
    r = read_file(path)
    assert r.format.name == "amazon_transactions"
    assert r.rows_in == 4 and len(r.data) + r.rows_quarantined == r.rows_in
    # the refund and the order it can be checked against are kept, each of its kind
    assert r.data["kind"].tolist() == ["refund", "order"], r.quarantine
    got = r.data.iloc[0]
    amount, currency = REFUND[case]
    assert float(got["amount"]) == amount and got["currency"] == currency
    assert str(got["date"].date()) == "2026-09-20" and got["quantity"] == 1
    assert got["sku"] == "SKU-001"
    order = r.data.iloc[1]
    assert str(order["date"].date()) == "2026-10-21" and order["currency"] == currency
    # the fee and the transfer are quarantined as such, on their own lines (the header is on the line after
    # the notes)
    q = r.quarantine
    assert sorted(q["line"].tolist()) == [n_notes + 4, n_notes + 5]
    assert q["reason"].str.contains("neither a refund nor an order").all()


def test_a_japanese_report_saved_as_shift_jis_reads_the_same(tmp_path):
    path = tmp_path / "2026AugMonthlyTransaction.csv"
    write_transactions(path, "JP", encoding="cp932")
    r = read_file(path)
    assert (
        r.data["kind"].tolist() == ["refund", "order"]
        and float(r.data["amount"].iloc[0]) == -1234.0
    )
    assert r.data["currency"].iloc[0] == "JPY"


def test_a_german_report_whose_amounts_all_look_like_thousands_reads_them_as_decimals(tmp_path):
    """``1.234`` alone could be a thousand (US) or one point two (a decimal comma's thousands): a German
    report writes a decimal comma, so it is 1234 — and ``5,000`` in it is five."""
    path = tmp_path / "de.csv"
    header = DE.split(",")
    lines = [_quoted(["Alle Beträge in EUR, sofern nicht anders angegeben"]), _quoted(header)]
    for total in ("-1.234", "-5,000"):
        cells = [""] * len(header)
        cells[:8] = [
            "20.09.2026 09:15:02 UTC",
            "1",
            "Erstattung",
            "302-1",
            "A",
            "",
            "1",
            "amazon.de",
        ]
        cells[-1] = total
        lines.append(_quoted(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = read_file(path)
    assert r.data["amount"].astype(float).tolist() == [-1234.0, -5.0]


def test_an_unknown_report_s_refusal_quotes_its_header_row_not_a_note_line(tmp_path):
    """A file stockbook cannot read is refused by its header (the widest of the top lines), so the message
    shows the columns the seller can compare with the formats listed, not "Includes Amazon Marketplace…"."""
    from stockbook.errors import InputError

    path = tmp_path / "unknown.csv"
    lines = ['"' + n.format(cur="SEK") + '"' for n in NOTES]
    lines.append(
        _quoted(["datum/tid", "betalnings-id", "typ", "beställnings-id", "artikel", "summa"])
    )
    lines.append(
        _quoted(["1 okt. 2026 00:12:34 UTC", "1", "Återbetalning", "302-1", "A", "−19 353,69"])
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_file(path)
    msg = str(e.value)
    assert "datum/tid" in msg and "Includes Amazon Marketplace" not in msg
    assert e.value.line == len(NOTES) + 1


def test_a_german_orders_report_keeps_english_headers_with_german_values(tmp_path):
    """Amazon's flat-file reports keep their English, hyphenated headers on every marketplace, but amazon.de's
    help page shows their values written the German way (``17.05.2011``, ``349,99``)."""
    path = tmp_path / "orders_de.txt"
    header = [
        "amazon-order-id",
        "merchant-order-id",
        "purchase-date",
        "last-updated-date",
        "order-status",
        "fulfillment-channel",
        "sales-channel",
        "sku",
        "asin",
        "quantity",
        "currency",
        "item-price",
    ]
    rows = [
        [
            "302-1234567-1234567",
            "",
            "17.05.2026",
            "18.05.2026",
            "Shipped",
            "Amazon",
            "Amazon.de",
            "DE-A",
            "B000000001",
            "1",
            "EUR",
            "349,99",
        ],
        [
            "302-1234567-1234568",
            "",
            "18.05.2026",
            "18.05.2026",
            "Shipped",
            "Amazon",
            "Amazon.de",
            "DE-A",
            "B000000001",
            "2",
            "EUR",
            "1.049,98",
        ],
    ]
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    r = read_file(path)
    assert r.format.name == "amazon_orders" and len(r.data) == 2
    assert r.data["revenue"].astype(float).tolist() == [349.99, 1049.98]
    assert r.data["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-05-17", "2026-05-18"]
    assert set(r.data["marketplace"]) == {"DE"} and set(r.data["currency"]) == {"EUR"}
