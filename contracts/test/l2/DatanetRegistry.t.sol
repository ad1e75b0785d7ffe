// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {DatanetRegistry} from "../../src/l2/DatanetRegistry.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Tries to re-enter withdrawFees when paid.
contract ReentrantOwner {
    DatanetRegistry internal reg;
    uint256 internal id;
    bool internal tried;
    bool public reentryBlocked;

    constructor(DatanetRegistry r) {
        reg = r;
    }

    function create() external returns (uint256) {
        id = reg.createDatanet("evil", "", "", DatanetRegistry.Kind.Text, 1 ether, 100);
        return id;
    }

    function pull() external {
        reg.withdrawFees(id, payable(address(this)));
    }

    receive() external payable {
        if (!tried) {
            tried = true;
            try reg.withdrawFees(id, payable(address(this))) {}
                catch {
                reentryBlocked = true;
            }
        }
    }
}

contract DatanetRegistryTest is Test {
    DatanetRegistry internal reg;
    address internal gov = makeAddr("gov");
    address internal owner = makeAddr("owner");
    address internal curator = makeAddr("curator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    uint128 internal constant FEE = 0.01 ether;
    uint64 internal constant MiB = 1024 * 1024;
    uint256 internal id;

    function setUp() public {
        vm.warp(1_700_000_000);
        reg = new DatanetRegistry(gov);
        vm.prank(owner);
        id = reg.createDatanet("Medical QA", "ipfs://meta", "CC-BY-4.0", DatanetRegistry.Kind.Text, FEE, 5 * MiB);
        vm.deal(alice, 100 ether);
        vm.deal(bob, 100 ether);
    }

    function _contribute(address who, bytes32 h, uint64 size) internal returns (uint256) {
        vm.prank(who);
        return reg.contribute{value: FEE}(id, h, size, "ipfs://c");
    }

    // ------------------------------------------------------------ create/update

    function test_CreateDatanet() public {
        vm.expectEmit();
        emit DatanetRegistry.DatanetCreated(2, bob, DatanetRegistry.Kind.Audio, "Speech", "u", "MIT", 0, 1);
        vm.prank(bob);
        uint256 id2 = reg.createDatanet("Speech", "u", "MIT", DatanetRegistry.Kind.Audio, 0, 1);
        assertEq(id2, 2);
        DatanetRegistry.Datanet memory d = reg.getDatanet(id);
        assertEq(d.owner, owner);
        assertEq(d.name, "Medical QA");
        assertEq(d.license, "CC-BY-4.0");
        assertEq(d.metadataURI, "ipfs://meta");
        assertEq(uint256(d.fee), FEE);
        assertEq(uint256(d.maxFileBytes), 5 * MiB);
        assertEq(reg.datanetCount(), 2);
    }

    function test_RevertWhen_CreateBadArgs() public {
        vm.expectRevert(DatanetRegistry.EmptyName.selector);
        reg.createDatanet("", "", "", DatanetRegistry.Kind.Text, 0, 1);
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        reg.createDatanet("n", "", "", DatanetRegistry.Kind.Text, 0, 0);
        bytes memory long = new bytes(257);
        vm.expectRevert(DatanetRegistry.TextTooLong.selector);
        reg.createDatanet("n", string(long), "", DatanetRegistry.Kind.Text, 0, 1);
    }

    function test_UpdateDatanet() public {
        vm.expectEmit();
        emit DatanetRegistry.DatanetUpdated(id, "ipfs://v2", 2 * FEE, MiB);
        vm.prank(owner);
        reg.updateDatanet(id, "ipfs://v2", 2 * FEE, MiB);
        DatanetRegistry.Datanet memory d = reg.getDatanet(id);
        assertEq(uint256(d.fee), 2 * FEE);
        assertEq(d.metadataURI, "ipfs://v2");
    }

    function test_RevertWhen_UpdateByStrangerOrBadArgs() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, alice));
        vm.prank(alice);
        reg.updateDatanet(id, "", 0, 1);
        vm.startPrank(owner);
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        reg.updateDatanet(id, "", 0, 0);
        vm.expectRevert(DatanetRegistry.TextTooLong.selector);
        reg.updateDatanet(id, string(new bytes(257)), 0, 1);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 99));
        reg.updateDatanet(99, "", 0, 1);
    }

    function test_TransferDatanetOwnership() public {
        vm.expectEmit();
        emit DatanetRegistry.DatanetOwnershipTransferred(id, owner, bob);
        vm.prank(owner);
        reg.transferDatanetOwnership(id, bob);
        assertEq(reg.getDatanet(id).owner, bob);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, owner));
        vm.prank(owner);
        reg.transferDatanetOwnership(id, owner);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(bob);
        reg.transferDatanetOwnership(id, address(0));
    }

    function test_SetCurator() public {
        vm.expectEmit();
        emit DatanetRegistry.CuratorSet(id, curator, true);
        vm.prank(owner);
        reg.setCurator(id, curator, true);
        assertTrue(reg.isCurator(id, curator));
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(owner);
        reg.setCurator(id, address(0), true);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, curator));
        vm.prank(curator);
        reg.setCurator(id, alice, true);
    }

    // ------------------------------------------------------------ contribute

    function test_ContributePaysFeeAndRecords() public {
        vm.expectEmit();
        emit DatanetRegistry.Contributed(1, id, alice, keccak256("a"), 1000, "ipfs://c", FEE);
        uint256 cid = _contribute(alice, keccak256("a"), 1000);
        DatanetRegistry.Contribution memory c = reg.getContribution(cid);
        assertEq(c.contributor, alice);
        assertEq(c.contentHash, keccak256("a"));
        assertEq(uint256(c.size), 1000);
        assertEq(uint256(c.status), uint256(DatanetRegistry.Status.Pending));
        assertEq(uint256(reg.getDatanet(id).feesAccrued), FEE);
        assertEq(address(reg).balance, FEE);
        assertTrue(reg.hasContent(id, keccak256("a")));
        (uint64 files, uint128 bytesUsed) = reg.userUsageToday(alice);
        assertEq(uint256(files), 1);
        assertEq(uint256(bytesUsed), 1000);
        assertEq(uint256(reg.datanetUsageToday(id)), 1000);
        assertEq(uint256(reg.contributorStats(alice).submitted), 1);
        assertEq(uint256(reg.contributorStats(id, alice).bytesSubmitted), 1000);
    }

    function test_RevertWhen_ContributeBadArgs() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.WrongFee.selector, FEE, 0));
        reg.contribute(id, keccak256("a"), 1, "");
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        reg.contribute{value: FEE}(id, bytes32(0), 1, "");
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        reg.contribute{value: FEE}(id, keccak256("a"), 0, "");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.FileTooLarge.selector, 5 * MiB + 1, 5 * MiB));
        reg.contribute{value: FEE}(id, keccak256("a"), 5 * MiB + 1, "");
        vm.expectRevert(DatanetRegistry.TextTooLong.selector);
        reg.contribute{value: FEE}(id, keccak256("a"), 1, string(new bytes(257)));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 42));
        reg.contribute{value: FEE}(42, keccak256("a"), 1, "");
        reg.contribute{value: FEE}(id, keccak256("a"), 1, "");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.DuplicateContent.selector, keccak256("a")));
        reg.contribute{value: FEE}(id, keccak256("a"), 1, "");
        vm.stopPrank();
    }

    function test_UserDailyFileLimitResetsNextDay() public {
        for (uint256 i = 0; i < 20; ++i) {
            _contribute(alice, keccak256(abi.encode(i)), 1);
        }
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UserDailyFilesExceeded.selector, 20));
        _contribute(alice, keccak256("21st"), 1);
        vm.warp(block.timestamp + 1 days);
        _contribute(alice, keccak256("21st"), 1);
        (uint64 files,) = reg.userUsageToday(alice);
        assertEq(uint256(files), 1, "reset");
    }

    function test_UserDailyBytesLimit() public {
        _contribute(alice, keccak256("1"), 5 * MiB);
        _contribute(alice, keccak256("2"), 5 * MiB);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UserDailyBytesExceeded.selector, 10 * MiB + 1, 10 * MiB));
        _contribute(alice, keccak256("3"), 1);
    }

    function test_DatanetDailyBytesLimit() public {
        _contribute(alice, keccak256("1"), 5 * MiB);
        _contribute(bob, keccak256("2"), 5 * MiB);
        address carol = makeAddr("carol");
        vm.deal(carol, 1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(DatanetRegistry.DatanetDailyBytesExceeded.selector, 10 * MiB + 1, 10 * MiB)
        );
        _contribute(carol, keccak256("3"), 1);
        assertEq(uint256(reg.datanetUsageToday(id)), 10 * MiB);
        vm.warp(block.timestamp + 1 days);
        assertEq(uint256(reg.datanetUsageToday(id)), 0, "new day");
    }

    function test_SetLimits() public {
        vm.expectEmit();
        emit DatanetRegistry.LimitsSet(1, 1, 1);
        vm.prank(gov);
        reg.setLimits(1, 1, 1);
        assertEq(uint256(reg.maxUserBytesPerDay()), 1);
        assertEq(uint256(reg.maxUserFilesPerDay()), 1);
        assertEq(uint256(reg.maxDatanetBytesPerDay()), 1);
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        vm.prank(gov);
        reg.setLimits(0, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, owner));
        vm.prank(owner);
        reg.setLimits(1, 1, 1);
    }

    // ------------------------------------------------------------ review and versions

    function test_ReviewApproveRejectByOwnerAndCurator() public {
        vm.prank(owner);
        reg.setCurator(id, curator, true);
        uint256 a = _contribute(alice, keccak256("a"), 10);
        uint256 b = _contribute(alice, keccak256("b"), 10);
        vm.expectEmit();
        emit DatanetRegistry.ContributionReviewed(a, id, DatanetRegistry.Status.Approved, curator);
        vm.prank(curator);
        reg.review(a, true);
        vm.prank(owner);
        reg.review(b, false);
        assertEq(uint256(reg.getContribution(a).status), uint256(DatanetRegistry.Status.Approved));
        assertEq(uint256(reg.getContribution(b).status), uint256(DatanetRegistry.Status.Rejected));
        DatanetRegistry.Stats memory s = reg.contributorStats(id, alice);
        assertEq(uint256(s.approved), 1);
        assertEq(uint256(s.rejected), 1);
        assertEq(uint256(reg.contributorStats(alice).approved), 1);
        assertEq(uint256(reg.getDatanet(id).approved), 1);
    }

    function test_RevertWhen_ReviewInvalid() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownContribution.selector, 9));
        reg.review(9, true);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownContribution.selector, 9));
        reg.getContribution(9);
        uint256 a = _contribute(alice, keccak256("a"), 10);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotCurator.selector, id, alice));
        vm.prank(alice);
        reg.review(a, true);
        vm.prank(owner);
        reg.review(a, true);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.AlreadyReviewed.selector, a));
        vm.prank(owner);
        reg.review(a, false);
    }

    function test_PublishVersion() public {
        uint256 a = _contribute(alice, keccak256("a"), 10);
        vm.prank(owner);
        reg.review(a, true);
        vm.expectEmit();
        emit DatanetRegistry.VersionPublished(id, 1, keccak256("root"), 1);
        vm.prank(owner);
        uint64 v = reg.publishVersion(id, keccak256("root"), 1);
        assertEq(uint256(v), 1);
        DatanetRegistry.Version memory ver = reg.getVersion(id, 1);
        assertEq(ver.root, keccak256("root"));
        assertEq(uint256(ver.count), 1);
        assertEq(reg.versionRoot(id, 1), keccak256("root"));
        assertEq(reg.versionRoot(id, 2), bytes32(0));
    }

    function test_RevertWhen_PublishInvalid() public {
        vm.startPrank(owner);
        vm.expectRevert(DatanetRegistry.ZeroValue.selector);
        reg.publishVersion(id, bytes32(0), 1);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BadVersion.selector, 1, 0));
        reg.publishVersion(id, keccak256("r"), 1);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BadVersion.selector, 0, 0));
        reg.publishVersion(id, keccak256("r"), 0);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotCurator.selector, id, alice));
        vm.prank(alice);
        reg.publishVersion(id, keccak256("r"), 1);
    }

    // ------------------------------------------------------------ fees

    function test_WithdrawFees() public {
        _contribute(alice, keccak256("a"), 10);
        _contribute(bob, keccak256("b"), 10);
        address payable sink = payable(makeAddr("sink"));
        vm.expectEmit();
        emit DatanetRegistry.FeesWithdrawn(id, sink, 2 * FEE);
        vm.prank(owner);
        reg.withdrawFees(id, sink);
        assertEq(sink.balance, 2 * FEE);
        assertEq(address(reg).balance, 0);
        vm.expectRevert(DatanetRegistry.NothingToWithdraw.selector);
        vm.prank(owner);
        reg.withdrawFees(id, sink);
    }

    function test_RevertWhen_WithdrawFeesInvalid() public {
        _contribute(alice, keccak256("a"), 10);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, alice));
        vm.prank(alice);
        reg.withdrawFees(id, payable(alice));
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(owner);
        reg.withdrawFees(id, payable(address(0)));
        vm.expectRevert(DatanetRegistry.TransferFailed.selector);
        vm.prank(owner);
        reg.withdrawFees(id, payable(address(this))); // this test contract has no receive()
    }

    function test_WithdrawFeesIsReentrancyGuarded() public {
        ReentrantOwner evil = new ReentrantOwner(reg);
        uint256 eid = evil.create();
        vm.prank(alice);
        reg.contribute{value: 1 ether}(eid, keccak256("x"), 1, "");
        vm.prank(bob);
        reg.contribute{value: 1 ether}(eid, keccak256("y"), 1, "");
        evil.pull();
        assertTrue(evil.reentryBlocked(), "reentry blocked");
        assertEq(address(evil).balance, 2 ether, "paid once");
    }

    function testFuzz_ContributeWithinLimits(uint64 size, uint128 fee) public {
        size = uint64(bound(size, 1, 5 * MiB));
        fee = uint128(bound(fee, 0, 10 ether));
        vm.prank(owner);
        reg.updateDatanet(id, "", fee, 5 * MiB);
        vm.prank(alice);
        reg.contribute{value: fee}(id, keccak256(abi.encode(size)), size, "");
        assertEq(uint256(reg.getDatanet(id).feesAccrued), fee);
        assertEq(address(reg).balance, fee);
        assertEq(uint256(reg.contributorStats(alice).bytesSubmitted), size);
    }
}
