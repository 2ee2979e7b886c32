"""Length-preserving normalisation of document text for matching.

Every table here maps one character to one character, so an offset into the
normalised text is the same offset into the text as written. The parser matches on
the normalised form and slices names out of the original, which keeps unit names
exactly as the document writes them (full-width brackets, traditional characters).
"""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

# Full-width ASCII variants (！ to ～) to ASCII, the ideographic space to a space,
# and the bracket shapes Chinese documents use around annotations to ( ).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
_WIDTH.update({ord(a): ord(b) for a, b in zip("〔〕【】［］﹝﹞﹙﹚[]", "()()()()()()")})
_WIDTH.update({ord("．"): ord("."), ord("、"): ord("、")})

# Traditional to simplified for the vocabulary of responsibility annotations, unit
# names and headings: enough to recognise 責任單位 or 牽頭 and the suffix of 交通運輸廳,
# not a general converter (names are kept as written in any case).
_TRAD = (
    "責责 單单 牽牵 頭头 負负 與与 參参 協协 辦办 為为 爲为 職职 關关 門门 會会 縣县 區区"
    " 鎮镇 級级 時时 間间 點点 領领 導导 員员 議议 務务 廳厅 隊队 處处 館馆 聯联 團团 組组"
    " 揮挥 機机 構构 華华 國国 廣广 東东 貴贵 雲云 陝陕 寧宁 遼辽 龍龙 黑黑 蘇苏 豐丰 灣湾"
    " 門门 紀纪 監监 檢检 審审 計计 財财 稅税 統统 經经 濟济 發发 改改 革革 環环 境境 衛卫"
    " 健健 農农 業业 漁渔 礦矿 資资 產产 設设 築筑 質质 鐵铁 運运 輸输 電电 訊讯 郵邮 說说"
    " 傳传 媒媒 廣广 播播 視视 體体 藝艺 術术 圖图 書书 學学 會会 協协 聯联 婦妇 殘残 僑侨"
    " 臺台 鄉乡 莊庄 廠厂 醫医 藥药 療疗 險险 應应 災灾 氣气 象象 約约 節节 儲储 糧粮 價价"
    " 貿贸 場场 幣币 銀银 開开 進进 遠远 專专 項项 實实 驗验 場场 導导 黨党 紅红 軍军 勞劳"
    " 動动 條条 規规 劃划 畫画 際际 濱滨 齊齐 綏绥 擴扩 續续 兩两 萬万 億亿 億亿 網网 絡络"
    " 訊讯 數数 據据 雙双 總总 幹干 類类 後后 備备 將将 對对 從从 來来 個个 們们 這这 裡里"
    " 還还 沒没 見见 問问 題题 讓让 論论 語语 請请 諮咨 詢询 證证 認认 識识 讀读 課课 調调"
    " 査查 辯辩 護护 報报 紙纸 刊刊 劇剧 愛爱 歷历 曆历 盡尽 層层 屬属 歸归 當当 與与 舉举"
    " 興兴 盟盟 權权 區区 徵征 稱称 隨随 選选 遷迁 邊边 錢钱 鋼钢 鍵键 長长 隊队 陽阳 陰阴"
    " 陸陆 馬马 驗验 魚鱼 鳥鸟 麥麦 齡龄 壽寿 偉伟 傑杰 優优 僅仅 儀仪 償偿 兒儿 內内 劑剂"
    " 勵励 勝胜 務务 勢势 匯汇 廠厂 縣县 雜杂 預预 頒颁 領领 頻频 顧顾 風风 飛飞 養养 餘余"
    " 營营 獎奖 獻献 現现 環环 產产 畢毕 異异 疊叠 盤盘 盡尽 監监 碼码 確确 禮礼 種种 稅税"
    " 穩稳 積积 競竞 筆笔 範范 簡简 糧粮 紀纪 約约 紅红 級级 細细 終终 結结 給给 絕绝 統统"
    " 維维 綜综 緊紧 線线 編编 練练 縮缩 績绩 總总 織织 繼继 續续 罰罚 聽听 職职 膽胆 臨临"
    " 舊旧 藝艺 蘭兰 處处 號号 螢萤 補补 裝装 製制 複复 覽览 觀观 規规 視视 親亲 評评 試试"
    " 詳详 誌志 認认 語语 說说 誰谁 課课 調调 談谈 請请 諾诺 謀谋 講讲 證证 識识 譜谱 警警"
    " 護护 讓让 貧贫 購购 貸贷 費费 資资 賓宾 賞赏 賴赖 質质 購购 趕赶 軟软 較较 輔辅 輕轻"
    " 輪轮 辦办 農农 邊边 過过 達达 違违 遞递 適适 選选 遺遗 鄰邻 醫医 釋释 針针 鍛锻 鎮镇"
    " 門门 閉闭 開开 閑闲 間间 閣阁 闊阔 闡阐 隊队 階阶 際际 險险 隱隐 雖虽 雙双 離离 難难"
    " 電电 靈灵 韓韩 響响 頁页 順顺 須须 頌颂 預预 領领 頭头 題题 額额 願愿 類类 顯显 飯饭"
    " 飲饮 館馆 馬马 驅驱 體体 髮发 鬥斗 鬧闹 魯鲁 鮮鲜 鳳凤 鹽盐 麗丽 黃黄 點点 齒齿 龍龙"
    " 並并 伙伙 佈布 併并 係系 俠侠 倉仓 倫伦 偵侦 側侧 傘伞 備备 傭佣 債债 傷伤 傾倾 僱雇"
    " 價价 儉俭 優优 兇凶 凈净 凍冻 則则 剛刚 創创 劃划 劉刘 劍剑 勁劲 務务 動动 勞劳 勸劝"
    " 區区 協协 卻却 厲厉 參参 叢丛 吳吴 員员 問问 啓启 喪丧 嘗尝 嚴严 囑嘱 園园 圍围 圓圆"
    " 圖图 團团 執执 堅坚 報报 場场 塊块 塵尘 墊垫 墳坟 壇坛 壞坏 壓压 壩坝 夠够 夢梦 夾夹"
    " 奪夺 奮奋 妝妆 娛娱 婁娄 嬰婴 孫孙 學学 實实 寧宁 審审 寫写 寬宽 寶宝 將将 專专 尋寻"
    " 導导 屆届 屍尸 屬属 岡冈 島岛 峽峡 崗岗 嶺岭 巖岩 幣币 帥帅 師师 帳帐 帶带 幫帮 幹干"
    " 庫库 廢废 廬庐 廳厅 張张 強强 彈弹 彙汇 徑径 從从 復复 徹彻 恆恒 悅悦 惡恶 愛爱 態态"
    " 慣惯 慮虑 慶庆 憂忧 憑凭 應应 懷怀 懸悬 戰战 戲戏 戶户 拋抛 挾挟 捨舍 掃扫 掛挂 採采"
    " 揚扬 換换 損损 搖摇 攜携 擁拥 擇择 擊击 擔担 據据 擠挤 擬拟 擴扩 擺摆 攝摄 敘叙 敵敌"
    " 數数 斂敛 斷断 於于 昇升 時时 晉晋 曉晓 暢畅 暫暂 曬晒 東东 條条 來来 極极 構构 槍枪"
    " 樂乐 樓楼 標标 樞枢 模模 樣样 樹树 橋桥 機机 檔档 檢检 權权 歡欢 歲岁 殘残 殺杀 氣气"
    " 決决 況况 沖冲 淚泪 淨净 淺浅 測测 湯汤 溝沟 準准 溫温 滅灭 滬沪 滿满 漢汉 濕湿 潔洁"
    " 潛潜 澤泽 濟济 濱滨 瀋沈 灣湾 災灾 爭争 爾尔 牆墙 犧牺 狀状 猶犹 獨独 獲获 獸兽 瑪玛"
    " 環环 產产 畝亩 畫画 當当 發发 盜盗 盞盏 矯矫 碩硕 磚砖 礎础 禍祸 禦御 離离 稅税 稱称"
    " 穀谷 窮穷 窯窑 竅窍 競竞 筆笔 節节 範范 築筑 簽签 籃篮 籌筹 籍籍 糾纠 紀纪 級级 紋纹"
    " 納纳 紐纽 純纯 紙纸 紛纷 素素 紡纺 索索 紮扎 組组 絲丝 經经 綠绿 網网 緒绪 緣缘 緩缓"
    " 縣县 縱纵 繁繁 繩绳 繪绘 繳缴 纖纤 罷罢 羅罗 聖圣 聞闻 聯联 聲声 肅肃 腦脑 腳脚 膚肤"
    " 與与 艱艰 莖茎 華华 萬万 葉叶 著着 蓋盖 蔣蒋 薦荐 薩萨 藍蓝 蘇苏 蟲虫 衆众 術术 衛卫"
    " 衝冲 襲袭 覆覆 覺觉 觸触 訂订 計计 訓训 託托 記记 訪访 設设 許许 診诊 訴诉 詞词 詩诗"
    " 該该 詳详 誇夸 誠诚 誤误 說说 課课 誼谊 諒谅 論论 諸诸 謝谢 謠谣 譯译 議议 讀读 變变"
    " 豐丰 貝贝 貞贞 負负 財财 貢贡 貨货 販贩 貫贯 責责 貴贵 貿贸 賀贺 資资 賈贾 賊贼 賠赔"
    " 賣卖 賦赋 賬账 賽赛 贊赞 贏赢 趙赵 躍跃 車车 軌轨 軍军 軒轩 載载 輛辆 輯辑 輸输 轄辖"
    " 轉转 辭辞 辯辩 遊游 運运 遙遥 鄉乡 鄭郑 醜丑 釣钓 鈴铃 銀银 銷销 鋪铺 錄录 錦锦 鍋锅"
    " 鏈链 鐘钟 鑒鉴 鑑鉴 鑽钻 閱阅 闆板 陣阵 陳陈 陰阴 陶陶 隨随 雜杂 雞鸡 雲云 霧雾 靜静"
    " 韋韦 頂顶 項项 領领 頻频 頸颈 顏颜 顆颗 餐餐 饑饥 駐驻 騎骑 騰腾 驚惊 鬆松 麼么 齊齐"
    " 幾几 廣广 歐欧 溝沟 衆众 週周 復复 併并 裏里 綫线 鹼碱 擡抬 蹟迹 檯台 颱台 彞彝 範范"
    " 覈核 頒颁 巖岩 纔才 祕秘 琺珐 廁厕 麪面 糰团 佔占 昇升 託托 餵喂 鍊炼 扞捍 弔吊 覆覆"
    " 預预 帥帅 彌弥 擴扩 嚮向 蔘参 併并 衹只 祇只 隻只 缐线 囓啮 銜衔 鉤钩 犂犁 麤粗 騐验"
    " 滙汇 嶽岳 峯峰 谿溪 鄰邻 羣群 綑捆 噹当 姦奸 妳你 祂他 菸烟 裡里 鹹咸 爲为 紮扎 築筑"
)
_TRAD_MAP = {ord(pair[0]): ord(pair[1]) for pair in _TRAD.split() if len(pair) == 2}



def _opencc_characters() -> dict[int, int]:
    """Every traditional character with one simplified form, from OpenCC's character table
    (the opencc-python-reimplemented package, read as data, not imported): 別 → 别, 內 → 内.

    Only one-to-one characters are taken, so lengths stay; the table above comes last and
    wins. Without the package only the table above is used.
    """
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "TSCharacters.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        trad, _, simple = line.partition("\t")
        first = simple.split(" ")[0] if simple else ""
        if len(trad) == 1 and len(first) == 1 and first != trad:
            out[ord(trad)] = ord(first)
    return out


TABLE = {**_WIDTH, **_opencc_characters(), **_TRAD_MAP}


def normalize(text: str) -> str:
    """Return ``text`` with widths, bracket shapes and traditional characters unified.

    The result has exactly the length of ``text``, character for character.

    >>> normalize("（責任單位：市科協）")
    '(责任单位:市科协)'
    """
    if len(text) > 40:
        return _translated(text)
    # short strings (unit names, fragments) recur many times in a plan and across plans
    done = _SHORT.get(text)
    if done is None:
        if len(_SHORT) > 200_000:
            _SHORT.clear()
        done = _SHORT[text] = _translated(text)
    return done


def _translated(text: str) -> str:
    """``text.translate(TABLE)``: str.translate looks up every character, one at a time, but a
    plan holds only a dozen or so of the characters that change (，：（）…): each is replaced
    throughout by one str.replace instead."""
    found = _CHANGED.intersection(text)
    if not found:
        return text
    if not found.isdisjoint(_CHAINED):  # 薴 → 苧 → 苎: replaced twice by a chain of replace()
        return text.translate(TABLE)
    for ch in found:
        text = text.replace(ch, _TO[ch])
    return text


_TO = {chr(k): chr(v) for k, v in TABLE.items() if k != v}
_CHANGED = frozenset(_TO)
#: characters whose replacement is itself replaced (str.translate reads each character once)
_CHAINED = frozenset(ch for ch, to in _TO.items() if to in _TO)
_SHORT: dict[str, str] = {}
_COMPACT: dict[str, str] = {}


def compact(text: str) -> str:
    """Normalise and drop all whitespace: the key two spellings of a name share.

    >>> compact("区 科 协") == compact("區科協")
    True
    """
    done = _COMPACT.get(text)
    if done is None:
        done = "".join(normalize(text).split())
        if len(text) <= 40:
            if len(_COMPACT) > 200_000:
                _COMPACT.clear()
            _COMPACT[text] = done
    return done


class _Widths(dict):
    """Character → columns, each character asked of unicodedata once."""

    def __missing__(self, ch: str) -> int:
        self[ch] = width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_WIDTHS = _Widths()


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or on a page: wide (CJK) characters take two.

    >>> display_width("区科协 ok")
    9
    """
    # a table of 100,000 cells asks this of every cell: a lookup per character, not a call
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


def fitting(text: str, columns: int) -> str:
    """The longest start of ``text`` that :func:`display_width` fits in ``columns``.

    >>> fitting("区科协 ok", 5), fitting("区科协 ok", 4), fitting("abc", 9)
    ('区科', '区科', 'abc')
    """
    if text.isascii():
        return text[:columns]
    taken = 0
    for i, width in enumerate(map(_WIDTHS.__getitem__, text)):
        taken += width
        if taken > columns:
            return text[:i]
    return text
